import { ingest, type SourceItem } from "../../src/ingest/run.ts";
import type { PaperRecord } from "../../src/papers/record.ts";
import type { Store } from "../../src/store/index.ts";

/** An author with more papers than fit on one page of a list. */
export const PROLIFIC_AUTHOR = "Prolific Q. Author";
export const PROLIFIC_PAPERS = 55;

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
