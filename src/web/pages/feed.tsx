import { z } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { isCalendarDay, newYorkDate } from "../../calendar/new-york.ts";
import { type DayRange, isoWeekOf, monthOf, parseDay, parseIsoWeek, parseMonth } from "../../calendar/periods.ts";
import type { AppEnv } from "../../http/context.ts";
import { type FeedPeriod, FeedView, type FeedViewSort, type PeriodKind } from "../components/feed-view.tsx";
import { paths } from "../paths.ts";
import { withVotes } from "./paper-actions.tsx";
import {
  badRequest,
  listQuery,
  notFound,
  offsetOf,
  PAGE_SIZE,
  type PageContext,
  page,
  readQuery,
  siteOf,
} from "./respond.tsx";

const parsers: Record<PeriodKind, { parse: (key: string) => DayRange | null; format: string }> = {
  day: { parse: parseDay, format: "YYYY-MM-DD" },
  week: { parse: parseIsoWeek, format: "an ISO week, YYYY-Www" },
  month: { parse: parseMonth, format: "YYYY-MM" },
};

const feedQuery = listQuery.extend({ sort: z.enum(["upvotes", "date"] satisfies FeedViewSort[]).optional() });

async function renderFeed(c: PageContext, kind: PeriodKind, key: string) {
  const range = parsers[kind].parse(key);
  if (!range) return badRequest(c, `"${key}" is not a valid ${kind}: write it as ${parsers[kind].format}.`);
  const query = readQuery(c, feedQuery);
  if (!query.ok) return badRequest(c, query.message);
  const sort = query.value.sort ?? "upvotes";
  const pageNumber = Number(query.value.page ?? 1);

  const { store } = c.get("app");
  const [feed, calendar] = await Promise.all([
    store.feed.range({ ...range, sort, limit: PAGE_SIZE, offset: offsetOf(pageNumber) }),
    store.listings.calendar(range.from, range.to),
  ]);
  if (pageNumber > 1 && feed.items.length === 0) return notFound(c, "No such page", "This list has fewer pages.");
  const period: FeedPeriod = { kind, key, range };
  return c.html(
    await withVotes(
      c,
      feed.items.map((item) => item.paper),
      <FeedView
        site={siteOf(c)}
        period={period}
        sort={sort}
        page={pageNumber}
        items={feed.items}
        total={feed.total}
        calendar={calendar}
        pageSize={PAGE_SIZE}
      />,
    ),
  );
}

/** Where a period URL without a date goes: the period holding the newest papers. */
async function latest(c: PageContext, toPath: (day: string) => string) {
  const day = await c.get("app").store.feed.latestDay();
  return c.redirect(day ? toPath(day) : paths.home(), 302);
}

/** The feeds: home, day, week, month, with URLs as on huggingface.co/papers. */
export function registerFeedPages(app: Hono<AppEnv>): void {
  page(app, "/", async (c) => {
    const day = await c.get("app").store.feed.latestDay();
    return renderFeed(c, "day", day ?? newYorkDate(new Date()));
  });

  // The date-jump form and the foundation's /papers?date= links land here; the form of a week or
  // month page says so, and lands on the week or month holding the date.
  page(app, "/papers", (c) => {
    const date = c.req.query("date");
    const period = c.req.query("period") ?? "day";
    if (date === undefined) return c.redirect(paths.home(), 302);
    if (!isCalendarDay(date)) return badRequest(c, `"${date}" is not a valid date: write it as YYYY-MM-DD.`);
    if (period === "week") return c.redirect(paths.week(isoWeekOf(date)), 302);
    if (period === "month") return c.redirect(paths.month(monthOf(date)), 302);
    if (period !== "day") return badRequest(c, 'The period must be "day", "week" or "month".');
    return c.redirect(paths.day(date), 301);
  });

  page(app, "/papers/date/:day", (c) => renderFeed(c, "day", c.req.param("day")));
  page(app, "/papers/week", (c) => latest(c, (day) => paths.week(isoWeekOf(day))));
  page(app, "/papers/week/:week", (c) => renderFeed(c, "week", c.req.param("week")));
  page(app, "/papers/month", (c) => latest(c, (day) => paths.month(monthOf(day))));
  page(app, "/papers/month/:month", (c) => renderFeed(c, "month", c.req.param("month")));
}
