import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { chosenPeriod, PeriodError, wholeArchive } from "../calendar/period-choice.ts";
import type { AppEnv } from "../http/context.ts";
import { pageNumber } from "../http/params.ts";
import type { FeedSort } from "../store/index.ts";
import { apiError } from "./errors.ts";
import { localFactsOf, toHfDailyPaper } from "./hf-shape.ts";
import { ApiError, HfDailyPaper } from "./schemas.ts";

export const MAX_PAGE_SIZE = 100;

/** `limit`: 1 to 100, as on huggingface.co. */
export const pageSize = z
  .string()
  .regex(/^(100|[1-9]\d?)$/, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .optional()
  .openapi({ description: `Items per page, 1 to ${MAX_PAGE_SIZE} (default 50).`, example: "50" });

export const hfUserName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, "must be a Hugging Face user name (letters, digits, . _ -)");

const DailyPapersQuery = z.object({
  p: pageNumber(0).optional().openapi({ description: "Page number, from 0.", example: "0" }),
  limit: pageSize,
  date: z.string().optional().openapi({ description: "One feed day, YYYY-MM-DD.", example: "2026-08-21" }),
  week: z.string().optional().openapi({ description: "An ISO week, YYYY-Www.", example: "2026-W34" }),
  month: z.string().optional().openapi({ description: "A month, YYYY-MM.", example: "2026-08" }),
  submitter: hfUserName
    .optional()
    .openapi({ description: "Only papers put on the feed by this Hugging Face user.", example: "akhaliq" }),
  sort: z.enum(["publishedAt", "trending"]).optional().openapi({
    description:
      "publishedAt: newest paper first; trending: by time-decayed upvotes. Without it a date, week or month lists the most upvoted first, and the whole feed lists the newest first.",
  }),
});

const dailyPapersRoute = createRoute({
  method: "get",
  path: "/api/daily_papers",
  tags: ["Hugging Face compatible"],
  summary: "Daily papers, in Hugging Face's shape",
  description:
    'The papers on the daily feed for a day, week or month, or the whole feed, newest first. Paged with `p` and `limit`; a `Link: <…>; rel="next"` header points at the next page when there is one.',
  request: { query: DailyPapersQuery },
  responses: {
    200: {
      description: "Feed items, in the shape of https://huggingface.co/api/daily_papers",
      content: { "application/json": { schema: z.array(HfDailyPaper) } },
      headers: z.object({ Link: z.string().optional().openapi({ description: 'The next page, rel="next".' }) }),
    },
    400: { description: "A parameter is malformed", content: { "application/json": { schema: ApiError } } },
  },
});

/**
 * `Link: <url>; rel="next"` for the same request one page on, on the site's public address
 * (PAPERBOY_BASE_URL): the request's Host header is the client's to choose.
 */
export function nextPageLink(c: Context<AppEnv>, changes: Record<string, string>): string {
  const requested = new URL(c.req.url);
  for (const [key, value] of Object.entries(changes)) requested.searchParams.set(key, value);
  return `<${c.get("app").config.baseUrl}${requested.pathname}${requested.search}>; rel="next"`;
}

export function registerDailyPapers(api: OpenAPIHono<AppEnv>): void {
  api.openapi(dailyPapersRoute, async (c) => {
    const query = c.req.valid("query");
    let period: ReturnType<typeof chosenPeriod>;
    try {
      period = chosenPeriod(query);
    } catch (error) {
      if (error instanceof PeriodError) return apiError(c, 400, error.message);
      throw error;
    }
    const limit = query.limit ? Number(query.limit) : 50;
    const page = query.p ? Number(query.p) : 0;
    // A day's feed reads best most-upvoted first (Hugging Face's own order); the endless feed newest first.
    const sort: FeedSort =
      query.sort === "trending" ? "trending" : query.sort === "publishedAt" || !period ? "date" : "upvotes";
    const { items, hasMore } = await c.get("app").store.feed.slice({
      ...(period ?? wholeArchive),
      sort,
      limit,
      offset: page * limit,
      ...(query.submitter ? { submitter: query.submitter } : {}),
    });
    if (hasMore) c.header("Link", nextPageLink(c, { p: String(page + 1) }));
    const local = await localFactsOf(
      c,
      items.map((item) => item.paper),
    );
    return c.json(
      items.map((item) => toHfDailyPaper(item.paper, item, local(item.paper))),
      200,
    );
  });
}
