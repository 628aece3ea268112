import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../http/context.ts";
import { searchText } from "../http/params.ts";
import { parseArxivId } from "../papers/arxiv-id.ts";
import { paperMarkdown } from "../papers/markdown.ts";
import { searchPapers } from "../search/search-papers.ts";
import type { PaperPosition } from "../store/index.ts";
import { readOnlyCors } from "./cors.ts";
import { nextPageLink, pageSize } from "./daily-papers.ts";
import { apiError } from "./errors.ts";
import { localFactsOf, toHfDailyPaper, toHfPaper } from "./hf-shape.ts";
import { ApiError, HfDailyPaper, HfPaper } from "./schemas.ts";

const tags = ["Hugging Face compatible"];
const badRequest = { description: "A parameter is malformed", content: { "application/json": { schema: ApiError } } };
const notFound = { description: "No such paper here", content: { "application/json": { schema: ApiError } } };

const searchRoute = createRoute({
  method: "get",
  path: "/api/papers/search",
  tags,
  summary: "Search papers",
  description:
    'Best matches first, in the item shape of /api/daily_papers: hybrid ranking (keywords and meaning) once papers have vectors, keywords alone before. An arXiv id or an arxiv.org / huggingface.co link finds that paper. Supports "phrases", -exclusions and author:, cat:, title:, after:, before: filters.',
  request: {
    query: z.object({
      q: searchText.optional().openapi({ example: "diffusion transformers" }),
      limit: pageSize,
    }),
  },
  responses: {
    200: { description: "Matching papers", content: { "application/json": { schema: z.array(HfDailyPaper) } } },
    400: badRequest,
  },
});

const paperIdParam = z.object({
  arxiv_id: z.string().openapi({
    description: "arXiv id, with or without version. Old-style ids such as hep-th/9901001 keep their slash.",
    example: "2608.19880",
  }),
});

const paperRoute = createRoute({
  method: "get",
  path: "/api/papers/{arxiv_id}",
  tags,
  summary: "One paper",
  description: "The paper in Hugging Face's flat shape (the `paper` of a daily item).",
  request: { params: paperIdParam },
  responses: {
    200: { description: "The paper", content: { "application/json": { schema: HfPaper } } },
    400: badRequest,
    404: notFound,
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/api/papers",
  tags,
  summary: "All papers, newest first",
  description:
    'Paged with an opaque `cursor`: follow the `Link: <…>; rel="next"` header until there is none. Papers added meanwhile never make a page repeat or skip entries.',
  request: {
    query: z.object({
      cursor: z.string().max(1000).optional().openapi({ description: "From the previous page's Link header." }),
      limit: pageSize,
    }),
  },
  responses: {
    200: {
      description: "A page of papers",
      content: { "application/json": { schema: z.array(HfPaper) } },
      headers: z.object({ Link: z.string().optional().openapi({ description: 'The next page, rel="next".' }) }),
    },
    400: badRequest,
  },
});

const markdownRoute = createRoute({
  method: "get",
  path: "/papers/{arxiv_id}.md",
  tags: ["Papers"],
  summary: "One paper as Markdown",
  description: "Title, authors, links, dates and abstract as Markdown, for LLM tools.",
  request: { params: paperIdParam },
  responses: {
    200: { description: "The paper", content: { "text/markdown": { schema: z.string() } } },
    400: { description: "Not an arXiv id", content: { "text/plain": { schema: z.string() } } },
    404: { description: "No such paper here", content: { "text/plain": { schema: z.string() } } },
  },
});

function encodeCursor(position: PaperPosition): string {
  return Buffer.from(JSON.stringify([position.publishedAt, position.id])).toString("base64url");
}

function decodeCursor(cursor: string): PaperPosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2) {
      const [publishedAt, id] = value;
      // Only positions we could have written: the values go into SQL comparisons.
      if (
        typeof publishedAt === "string" &&
        typeof id === "string" &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(publishedAt) &&
        parseArxivId(id)?.id === id
      ) {
        return { publishedAt, id };
      }
    }
  } catch {
    // Not base64 JSON: reported below like any other foreign cursor.
  }
  return null;
}

/** `GET /api/papers/{id}` for both id styles: old-style ids arrive split over two path segments. */
async function answerPaper(c: Context<AppEnv>, rawId: string) {
  const parsed = parseArxivId(rawId);
  if (!parsed) return apiError(c, 400, `path parameter arxiv_id: "${rawId}" is not an arXiv id`);
  const { store } = c.get("app");
  const paper = await store.papers.get(parsed.id);
  if (!paper) return apiError(c, 404, `paper ${parsed.id} not found`);
  const placement = (await store.feedPlacements.firstOf([paper.id])).get(paper.id) ?? null;
  const local = await localFactsOf(c, [paper]);
  return c.json(toHfPaper(paper, placement, local(paper)), 200);
}

export function registerPapers(api: OpenAPIHono<AppEnv>): void {
  // Before /api/papers/{arxiv_id}, which would otherwise take "search" for an id.
  api.openapi(searchRoute, async (c) => {
    const { q, limit } = c.req.valid("query");
    if (!q?.trim()) return c.json([], 200);
    const { store, embedder } = c.get("app");
    const papers = await searchPapers(store, q, limit ? Number(limit) : 50, embedder);
    const placements = await store.feedPlacements.firstOf(papers.map((p) => p.id));
    const local = await localFactsOf(c, papers);
    return c.json(
      papers.map((paper) => toHfDailyPaper(paper, placements.get(paper.id) ?? null, local(paper))),
      200,
    );
  });

  api.openapi(paperRoute, (c) => answerPaper(c, c.req.valid("param").arxiv_id));
  api.get("/api/papers/:archive/:number", (c) => answerPaper(c, `${c.req.param("archive")}/${c.req.param("number")}`));

  api.openapi(listRoute, async (c) => {
    const { cursor, limit: limitText } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && !after) {
      return apiError(c, 400, "query parameter cursor: not a cursor this server gave out; start without one");
    }
    const limit = limitText ? Number(limitText) : 50;
    const { store } = c.get("app");
    const page = await store.paperCursor.newestFirst(limit, after);
    if (page.next) c.header("Link", nextPageLink(c, { cursor: encodeCursor(page.next) }));
    const placements = await store.feedPlacements.firstOf(page.papers.map((p) => p.id));
    const local = await localFactsOf(c, page.papers);
    return c.json(
      page.papers.map((paper) => toHfPaper(paper, placements.get(paper.id) ?? null, local(paper))),
      200,
    );
  });

  // Registered by hand: Hono would read `{arxiv_id}.md` as a parameter named "arxiv_id.md" and
  // take every /papers/… page; the pattern keeps it to `.md` and lets old-style ids keep their slash.
  api.openAPIRegistry.registerPath(markdownRoute);
  api.get("/papers/:file{.+\\.md}", readOnlyCors, async (c) => {
    const rawId = c.req.param("file").slice(0, -".md".length);
    const parsed = parseArxivId(rawId);
    if (!parsed) return c.text(`"${rawId}" is not an arXiv id\n`, 400);
    const paper = await c.get("app").store.papers.get(parsed.id);
    if (!paper) return c.text(`paper ${parsed.id} not found\n`, 404);
    return c.body(paperMarkdown(paper), 200, { "Content-Type": "text/markdown; charset=utf-8" });
  });
}
