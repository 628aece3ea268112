import { isoWeekOf } from "../../src/calendar/periods.ts";
import { ingest, type SourceItem } from "../../src/ingest/run.ts";
import type { PaperRecord } from "../../src/papers/record.ts";
import type { Store } from "../../src/store/index.ts";

/** An author with more papers than fit on one page of a list. */
export const PROLIFIC_AUTHOR = "Prolific Q. Author";
export const PROLIFIC_PAPERS = 55;

/** A paper whose title carries TeX, and whose long author list has Ada Lovelace near its end. */
export const TEX_PAPER = {
  id: "2402.00001",
  title: "Regret $\\tilde{O}(dH^2\\sqrt{T})$ for linear MDPs -- a study",
  /** Published just after midnight UTC: still the evening before in New York. */
  created: "2024-02-01T02:30:00.000Z",
};

/** Text that would run script if a page ever put it into HTML unescaped. */
export const HOSTILE = {
  id: "2401.99999",
  title: `<script>window.__pwned = "title"</script><img src=x onerror="window.__pwned='img'"> Hostile title`,
  author: `<img src=x onerror="window.__pwned='author'">Mallory`,
  abstract: `An abstract with <script>window.__pwned="abstract"</script> and <a href="javascript:window.__pwned='link'">a link</a>.`,
  link: "javascript:window.__pwned='code'",
};

function paper(record: PaperRecord): SourceItem {
  return { record, position: { where: `site fixture ${record.id}` } };
}

/** Papers the demo corpus lacks: TeX, old-style ids, categories, a long author list, hostile text. */
export function siteRecords(): PaperRecord[] {
  const records: PaperRecord[] = [
    {
      id: "hep-th/9901001",
      title: "Strings on an old-style identifier",
      abstract: "We compute $E = mc^2$ and $$\\int_0^1 x\\,dx = \\frac{1}{2}$$ but also $\\frac{1}{$ which is broken.",
      authors: [{ name: "Ada Lovelace", affiliation: "Analytical Engines Ltd" }, { name: PROLIFIC_AUTHOR }],
      categories: ["hep-th", "math-ph"],
      versions: [
        { version: 1, created: "1999-01-04T10:00:00.000Z" },
        { version: 2, created: "1999-03-01T10:00:00.000Z" },
      ],
      doi: "10.1000/strings",
      journalRef: "J. Strings 1 (1999) 1",
    },
    {
      id: TEX_PAPER.id,
      title: TEX_PAPER.title,
      abstract: "We bound regret by $\\tilde{O}(dH^2\\sqrt{T})$ with our own $\\myop{x}$ macro, pages 10--20.",
      authors: [
        ...Array.from({ length: 8 }, (_, i) => ({ name: `Coauthor Number${i + 1}` })),
        { name: "Ada Lovelace" },
      ],
      categories: ["cs.LG"],
      versions: [{ version: 1, created: TEX_PAPER.created }],
    },
    {
      id: HOSTILE.id,
      title: HOSTILE.title,
      abstract: HOSTILE.abstract,
      authors: [{ name: HOSTILE.author }],
      categories: ["cs.CR"],
      publishedAt: "2024-01-10T12:00:00.000Z",
      githubRepo: HOSTILE.link,
      projectPage: HOSTILE.link,
    },
  ];
  for (let i = 1; i <= PROLIFIC_PAPERS; i++) {
    records.push({
      id: `1001.${String(i).padStart(5, "0")}`,
      title: `Prolific result number ${i}`,
      abstract: "A short abstract.",
      authors: [{ name: PROLIFIC_AUTHOR }],
      categories: ["math.CO"],
      publishedAt: `2010-01-${String(1 + (i % 28)).padStart(2, "0")}T12:00:00.000Z`,
    });
  }
  return records;
}

/** Adds the site fixtures through the real ingest path. */
export async function ingestSiteRecords(store: Store): Promise<void> {
  async function* source() {
    for (const record of siteRecords()) yield paper(record);
  }
  const summary = await ingest(store, source());
  if (summary.failed > 0) throw new Error(`site fixtures failed to load: ${summary.errors.join("; ")}`);
}

/** One address of every kind of page the site has (over the demo and these fixtures), for checks that must hold on all of them. */
export function pageClasses(newestDay: string): string[] {
  return [
    "/",
    `/papers/date/${newestDay}?sort=date`,
    `/papers/week/${isoWeekOf(newestDay)}`,
    `/papers/month/${newestDay.slice(0, 7)}`,
    "/papers/date/2999-01-01",
    "/papers/trending",
    "/papers/2608.19880",
    "/papers/hep-th/9901001",
    `/papers/${HOSTILE.id}`,
    `/authors/${encodeURIComponent(PROLIFIC_AUTHOR)}?page=2`,
    "/categories",
    "/categories/cs.LG",
    "/search",
    "/search?q=diffusion",
    "/search?q=zzzzqqq",
    "/docs",
    "/no/such/page",
    "/papers/date/yesterday",
  ];
}
