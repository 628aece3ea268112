import { z } from "@hono/zod-openapi";
import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { pageNumber, searchMode, searchSort, searchText } from "../../http/params.ts";
import { apiBudget, rateLimit } from "../../http/rate-limit.ts";
import { type SearchMode, search, searchModes } from "../../search/index.ts";
import { Layout } from "../components/layout.tsx";
import { Pager } from "../components/pager.tsx";
import { PaperCard } from "../components/paper-card.tsx";
import { TexMarked } from "../components/tex-text.tsx";
import { feeds, paths, plural } from "../paths.ts";
import { withVotes } from "./paper-actions.tsx";
import { badRequest, errorPage, page, readQuery, siteOf } from "./respond.tsx";

const RESULTS_PER_PAGE = 20;

const searchQuery = z.object({
  q: searchText.optional(),
  mode: searchMode.optional(),
  sort: searchSort.optional(),
  page: pageNumber(1).optional(),
});

/** The ranking modes in plain words; the URL keeps the API's names. */
const modeLabels: Record<SearchMode, { option: string; ranked: string }> = {
  keyword: { option: "Words", ranked: "the words" },
  semantic: { option: "Meaning", ranked: "meaning" },
  hybrid: { option: "Both", ranked: "both words and meaning" },
};

function SearchHelp() {
  return (
    <div class="empty">
      <p>Search titles, abstracts and authors. You can also:</p>
      <ul>
        <li>
          paste an arXiv id or link (<code>2401.00001</code>, <code>arxiv.org/abs/…</code>, <code>hf.co/papers/…</code>)
          to go straight to the paper;
        </li>
        <li>
          ask for an exact phrase with quotes: <code>"mixture of experts"</code> (when no paper has it, the papers with
          its words are shown); leave a word out with a minus: <code>-vision</code>
          {";"}
        </li>
        <li>
          narrow by <code>author:hinton</code>, <code>title:benchmark</code>, <code>cat:cs.CL</code> (or{" "}
          <code>cat:cs</code>
          ), <code>after:2024-06</code>, <code>before:2025</code>.
        </li>
      </ul>
    </div>
  );
}

/** Searching costs far more than reading a page, so a search (page or feed) spends from the API's budget. */
export const searchBudget = rateLimit({
  ...apiBudget,
  refuse: (c, { limit, retryAfterSeconds }) =>
    errorPage(
      c,
      429,
      "Too many searches",
      `Searches from your address are limited to ${limit} a minute: try again in ${retryAfterSeconds} s.`,
    ),
});
const COLLECTIONS_SHOWN = 5;

export function registerSearchPage(app: Hono<AppEnv>): void {
  app.use(paths.search(), async (c, next) => (c.req.query("q")?.trim() ? searchBudget(c, next) : next()));
  page(app, paths.search(), async (c) => {
    const query = readQuery(c, searchQuery);
    if (!query.ok) return badRequest(c, query.message);
    const q = (query.value.q ?? "").trim();
    const mode = query.value.mode ?? "hybrid";
    const sort = query.value.sort ?? "relevance";
    const pageNumber = Number(query.value.page ?? 1);

    const { store, embedder } = c.get("app");
    const outcome = q
      ? await search(store, q, {
          mode,
          sort,
          limit: RESULTS_PER_PAGE,
          offset: (pageNumber - 1) * RESULTS_PER_PAGE,
          embedder,
        })
      : null;
    if (outcome?.kind === "paper") return c.redirect(paths.paper(outcome.id), 302);
    // Collections whose title matches, on the first page: public ones only, whoever searches.
    const collections = q && pageNumber === 1 ? await store.collections.publicMatching(q, COLLECTIONS_SHOWN) : [];
    // Their owner may make one private (or be banned) at any moment: a shared cache must not keep showing it.
    if (collections.length > 0) c.header("Cache-Control", "private, no-cache");
    // Papers have neighbours (the paper page's similar papers) once they have vectors.
    const hasVectors = outcome !== null && (await store.vectors.current()) !== null;

    const href = (n: number) => {
      const params = new URLSearchParams({
        q,
        ...(mode !== "hybrid" ? { mode } : {}),
        ...(sort !== "relevance" ? { sort } : {}),
      });
      if (n > 1) params.set("page", String(n));
      return `${paths.search()}?${params}`;
    };
    return c.html(
      await withVotes(
        c,
        outcome?.kind === "results" ? outcome.hits.map((hit) => hit.paper) : [],
        <Layout
          site={siteOf(c)}
          title={q ? `Search: ${q}` : "Search"}
          description="Search papers by topic, title, author or arXiv id."
          feeds={q ? [feeds.search(q)] : undefined}
          query={q}
        >
          <h1>{q ? <>Results for “{q}”</> : "Search papers"}</h1>
          <form action={paths.search()} method="get" class="search-form">
            <div class="field field-query">
              <label for="search-q">Query</label>
              <input id="search-q" type="search" name="q" value={q} />
            </div>
            <div class="field">
              <label for="search-mode">Match by</label>
              <select id="search-mode" name="mode">
                {searchModes.map((m) => (
                  <option value={m} selected={m === mode}>
                    {modeLabels[m].option}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="search-sort">Sort by</label>
              <select id="search-sort" name="sort">
                {searchSort.options.map((s) => (
                  <option value={s} selected={s === sort}>
                    {s === "relevance" ? "Relevance" : s === "date" ? "Newest" : "Upvotes"}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">Search</button>
          </form>
          {!outcome ? (
            <SearchHelp />
          ) : (
            <>
              {[...outcome.problems, ...outcome.notices].map((message) => (
                <p class="notice">{message}</p>
              ))}
              {outcome.unknownId ? (
                <p class="notice">
                  {outcome.unknownId} is not in this archive yet.{" "}
                  <a href={`https://arxiv.org/abs/${outcome.unknownId}`}>Open it on arXiv</a>.
                </p>
              ) : null}
              {collections.length > 0 ? (
                <section aria-labelledby="collections-found" class="collections-found">
                  <h2 id="collections-found">Collections</h2>
                  <ul>
                    {collections.map((collection) => (
                      <li>
                        <a href={paths.collection(collection.slug)}>{collection.title}</a>
                        <span class="muted">{` by ${collection.ownerUsername} · ${plural(collection.paperCount, "paper")}`}</span>
                      </li>
                    ))}
                  </ul>
                </section>
              ) : null}
              <p class="muted">
                {plural(outcome.total, "result")} · matched by {modeLabels[outcome.mode].ranked}
                {sort === "date" ? ", newest first" : sort === "upvotes" ? ", most upvoted first" : ""}
              </p>
              {outcome.hits.length === 0 ? (
                <div class="empty">
                  <p>No papers match{pageNumber > 1 ? " on this page" : ""}.</p>
                  <p>Try fewer or more general words, remove a filter or a quoted phrase, or check the spelling.</p>
                  <SearchHelp />
                </div>
              ) : (
                <ul class="cards">
                  {outcome.hits.map((hit) => (
                    <li>
                      <PaperCard
                        paper={hit.paper}
                        title={<TexMarked parts={hit.title} />}
                        snippet={<TexMarked parts={hit.snippet} />}
                        moreLikeThis={hasVectors}
                      />
                    </li>
                  ))}
                </ul>
              )}
              <Pager page={pageNumber} pageCount={Math.ceil(outcome.total / RESULTS_PER_PAGE)} href={href} />
            </>
          )}
        </Layout>,
      ),
    );
  });
}
