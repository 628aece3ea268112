import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import { similarPapers } from "../../search/index.ts";
import { bibtex, fileNameFor } from "../citation.ts";
import { PaperView } from "../components/paper-view.tsx";
import { paths } from "../paths.ts";
import { badRequest, notFound, type PageContext, page, siteOf } from "./respond.tsx";

const BIBTEX_SUFFIX = ".bib";
const SIMILAR_PAPERS = 6;

function notHere(c: PageContext, id: string) {
  return notFound(
    c,
    "Paper not found",
    <>
      {`arXiv:${id} is not in this library. `}
      <a href={`https://arxiv.org/abs/${id}`}>Look for it on arXiv</a>.
    </>,
  );
}

/**
 * /papers/<id> and /papers/<id>.bib, where old-style ids hold a slash (hep-th/9901001), so the
 * id is the rest of the path. Other suffixes (.md, …) belong to other routes and pass through.
 */
async function paperRoute(c: PageContext, next: () => Promise<void>) {
  const rest = decodeURIComponent(c.req.path.slice("/papers/".length));
  const wantsBibtex = rest.endsWith(BIBTEX_SUFFIX);
  const raw = wantsBibtex ? rest.slice(0, -BIBTEX_SUFFIX.length) : rest;
  if (!wantsBibtex && /\.[a-z]+$/i.test(raw)) return next();
  const parsed = parseArxivId(raw);
  if (!parsed) return badRequest(c, `"${raw}" is not an arXiv id like 2501.00010 or hep-th/9901001.`);
  if (raw !== parsed.id) {
    return c.redirect(wantsBibtex ? paths.bibtex(parsed.id) : paths.paper(parsed.id), 301);
  }

  const { store } = c.get("app");
  if (wantsBibtex) {
    const paper = await store.papers.get(parsed.id);
    if (!paper) return notHere(c, parsed.id);
    return c.body(bibtex(paper), 200, {
      "Content-Type": "application/x-bibtex; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileNameFor(paper, "bib")}"`,
    });
  }
  const [paper, feedDays, similar] = await Promise.all([
    store.papers.get(parsed.id),
    store.listings.feedDaysOf(parsed.id),
    similarPapers(store, parsed.id, SIMILAR_PAPERS),
  ]);
  if (!paper) return notHere(c, parsed.id);
  return c.html(<PaperView site={siteOf(c)} paper={paper} feedDays={feedDays} similar={similar.map((s) => s.paper)} />);
}

/** Registered after the feed routes, which share the /papers/ prefix. */
export function registerPaperPage(app: Hono<AppEnv>): void {
  page(app, "/papers/*", paperRoute);
}
