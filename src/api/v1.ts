import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { chosenPeriod, PeriodError } from "../calendar/period-choice.ts";
import type { AppEnv } from "../http/context.ts";
import { parseArxivId } from "../papers/arxiv-id.ts";
import { arxivLinks, paperPath } from "../papers/links.ts";
import type { Paper } from "../papers/paper.ts";
import { pageSize } from "./daily-papers.ts";
import { apiError } from "./errors.ts";
import { ApiError, V1FeedPage, V1Paper } from "./schemas.ts";

const tags = ["Paperboy v1"];

/** Our own paper shape: everything we store, in our names, with links to read it. */
export function toV1Paper(paper: Paper, baseUrl: string): V1Paper {
  const links = arxivLinks(paper);
  return {
    id: paper.id,
    version: paper.version,
    versions: paper.versions,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors.map((a) =>
      a.affiliation ? { name: a.name, affiliation: a.affiliation } : { name: a.name },
    ),
    categories: paper.categories,
    comment: paper.comment,
    journalRef: paper.journalRef,
    doi: paper.doi,
    license: paper.license,
    publishedAt: paper.publishedAt,
    updatedAt: paper.updatedAt,
    githubRepo: paper.githubRepo,
    projectPage: paper.projectPage,
    upvotes: paper.upvotes,
    numComments: paper.numComments,
    trendingScore: paper.trendingScore,
    links: { ...links, markdown: `${baseUrl}${paperPath(paper.id)}.md` },
  };
}

const paperRoute = createRoute({
  method: "get",
  path: "/api/v1/papers/{id}",
  tags,
  summary: "One paper, with everything Paperboy knows about it",
  request: {
    params: z.object({
      id: z.string().openapi({ description: "arXiv id; old-style ids keep their slash.", example: "2608.19880" }),
    }),
  },
  responses: {
    200: { description: "The paper", content: { "application/json": { schema: V1Paper } } },
    400: { description: "Not an arXiv id", content: { "application/json": { schema: ApiError } } },
    404: { description: "No such paper here", content: { "application/json": { schema: ApiError } } },
  },
});

const feedRoute = createRoute({
  method: "get",
  path: "/api/v1/feed/{period}",
  tags,
  summary: "The daily feed of a day, an ISO week or a month",
  request: {
    params: z.object({
      period: z.string().openapi({ description: "YYYY-MM-DD, YYYY-Www or YYYY-MM.", example: "2026-08-21" }),
    }),
    query: z.object({
      sort: z.enum(["upvotes", "date", "trending"]).optional().openapi({ description: "Default: upvotes." }),
      limit: pageSize,
      offset: z
        .string()
        .regex(/^\d{1,7}$/, "must be a whole number from 0 to 9999999")
        .optional()
        .openapi({ example: "0" }),
    }),
  },
  responses: {
    200: { description: "Papers on the feed in that period", content: { "application/json": { schema: V1FeedPage } } },
    400: { description: "A parameter is malformed", content: { "application/json": { schema: ApiError } } },
  },
});

async function answerPaper(c: Context<AppEnv>, rawId: string) {
  const parsed = parseArxivId(rawId);
  if (!parsed) return apiError(c, 400, `path parameter id: "${rawId}" is not an arXiv id`);
  const { store, config } = c.get("app");
  const paper = await store.papers.get(parsed.id);
  if (!paper) return apiError(c, 404, `paper ${parsed.id} not found`);
  return c.json(toV1Paper(paper, config.baseUrl), 200);
}

export function registerV1(api: OpenAPIHono<AppEnv>): void {
  api.openapi(paperRoute, (c) => answerPaper(c, c.req.valid("param").id));
  api.get("/api/v1/papers/:archive/:number", (c) =>
    answerPaper(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );

  api.openapi(feedRoute, async (c) => {
    const { period: text } = c.req.valid("param");
    const { sort, limit, offset } = c.req.valid("query");
    const choice = /W/.test(text) ? { week: text } : text.length === 7 ? { month: text } : { date: text };
    let period: ReturnType<typeof chosenPeriod>;
    try {
      period = chosenPeriod(choice);
    } catch (error) {
      if (error instanceof PeriodError) return apiError(c, 400, `path parameter period: ${error.message}`);
      throw error;
    }
    if (!period) return apiError(c, 400, "path parameter period: missing");
    const { store, config } = c.get("app");
    const page = await store.feed.range({
      ...period,
      sort: sort ?? "upvotes",
      limit: limit ? Number(limit) : 50,
      offset: offset ? Number(offset) : 0,
    });
    const { previous } = await store.feed.neighbours(period.from);
    const { next } = await store.feed.neighbours(period.to);
    return c.json(
      {
        ...period,
        total: page.total,
        previous,
        next,
        items: page.items.map((item) => ({
          feedDate: item.feedDate,
          submittedBy: item.submittedBy,
          paper: toV1Paper(item.paper, config.baseUrl),
        })),
      },
      200,
    );
  });
}
