import { z } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { addDays, type DayRange, isoWeekOf, monthOf, parseIsoWeek, parseMonth } from "../../calendar/periods.ts";
import { CommunityError } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { searchText } from "../../http/params.ts";
import { hfAccountName } from "../../papers/organization.ts";
import type { Paper } from "../../papers/paper.ts";
import { search } from "../../search/index.ts";
import type { CollectionWithPapers } from "../../store/index.ts";
import { type FeedDocument, type FeedEntry, renderFeed } from "../feed-document.tsx";
import { type FeedFormat, type FeedRef, feeds, feedUrl, paths } from "../paths.ts";
import { isAuthorName } from "./author.tsx";
import { categoryPattern } from "./category.tsx";
import { badRequest, notFound, type PageContext, page, readQuery, siteOf } from "./respond.tsx";
import { searchBudget } from "./search.tsx";

const ENTRIES = 50;
const formats: FeedFormat[] = ["rss", "atom"];

type Period = "daily" | "weekly" | "monthly";

/** How many periods a rolling feed spans, and how many papers of each it carries. */
const rolling: Record<Period, { periods: number; top: number; page: string; what: string }> = {
  daily: { periods: 7, top: 20, page: paths.home(), what: "day" },
  weekly: { periods: 4, top: 20, page: "/papers/week", what: "ISO week" },
  monthly: { periods: 3, top: 20, page: "/papers/month", what: "month" },
};

/** The ranges of the last few days with papers, weeks or months, newest first. */
async function recentRanges(c: PageContext, period: Period): Promise<DayRange[]> {
  const { store } = c.get("app");
  const latest = await store.feed.latestDay();
  if (!latest) return [];
  const count = rolling[period].periods;
  if (period === "daily") {
    const { days } = await store.listings.calendar(addDays(latest, -31), latest);
    return days
      .slice(-count)
      .reverse()
      .map(({ day }) => ({ from: day, to: day }));
  }
  const ranges: DayRange[] = [];
  let anchor = latest;
  for (let i = 0; i < count; i++) {
    const range = period === "weekly" ? parseIsoWeek(isoWeekOf(anchor)) : parseMonth(monthOf(anchor));
    if (!range) break;
    ranges.push(range);
    anchor = addDays(range.from, -1);
  }
  return ranges;
}

async function periodFeed(c: PageContext, period: Period): Promise<FeedDocument> {
  const { store } = c.get("app");
  const settings = rolling[period];
  const entries: FeedEntry[] = [];
  for (const range of await recentRanges(c, period)) {
    const { items } = await store.feed.slice({ ...range, sort: "upvotes", limit: settings.top });
    entries.push(...items.map((item) => ({ paper: item.paper, date: item.feedDate })));
  }
  return {
    feed: feeds.rolling(period),
    description: `The ${settings.top} most upvoted papers of each ${settings.what}, newest first.`,
    pagePath: settings.page,
    entries,
  };
}

/** A list of papers dated by their publication. */
function newestPapers(feed: FeedRef, description: string, pagePath: string, papers: Paper[]): FeedDocument {
  return { feed, description, pagePath, entries: papers.map((paper) => ({ paper, date: paper.publishedAt })) };
}

const searchFeedQuery = z.object({ q: searchText.optional() });
const myFeedQuery = z.object({ token: z.string().max(100).optional() });

/** Serves a feed in both formats, with ETag (by the page helper) and Last-Modified, answering 304 when unchanged. */
function feedRoute(
  app: Hono<AppEnv>,
  path: (format: FeedFormat) => string,
  build: (c: PageContext) => Promise<FeedDocument | Response>,
): void {
  for (const format of formats) {
    page(app, path(format), async (c) => {
      const document = await build(c);
      if (document instanceof Response) return document;
      const rendered = renderFeed(siteOf(c), document, format);
      const lastModified = rendered.updated.toUTCString();
      c.header("Last-Modified", lastModified);
      const since = c.req.header("If-Modified-Since");
      if (since && !c.req.header("If-None-Match") && Date.parse(since) >= Date.parse(lastModified)) {
        return c.body(null, 304);
      }
      return c.body(rendered.body, 200, { "Content-Type": rendered.contentType });
    });
  }
}

/**
 * RSS 2.0 and Atom 1.0 for the lists of the site: daily, weekly, monthly, trending, authors,
 * categories, organisations, public collections, searches, and each reader's My feed (private address).
 */
export function registerFeeds(app: Hono<AppEnv>): void {
  for (const period of ["daily", "weekly", "monthly"] as const) {
    feedRoute(
      app,
      (format) => feedUrl(feeds.rolling(period), format),
      (c) => periodFeed(c, period),
    );
  }

  feedRoute(
    app,
    (format) => feedUrl(feeds.rolling("trending"), format),
    async (c) => {
      const { papers } = await c.get("app").store.listings.trending({ limit: ENTRIES, offset: 0 });
      return newestPapers(
        feeds.rolling("trending"),
        "Papers by upvotes weighed against age.",
        paths.trending(),
        papers,
      );
    },
  );

  feedRoute(
    app,
    (format) => `/authors/:name/feed.${format}`,
    async (c) => {
      const name = c.req.param("name") ?? "";
      if (!isAuthorName(name)) return badRequest(c, "That is not an author name.");
      const { papers } = await c.get("app").store.listings.byAuthor(name, { limit: ENTRIES, offset: 0 });
      if (papers.length === 0) return notFound(c, "Author not found", `No papers by "${name}" here.`);
      return newestPapers(feeds.author(name), `New papers by ${name}, newest first.`, paths.author(name), papers);
    },
  );

  feedRoute(
    app,
    (format) => `/categories/:category/feed.${format}`,
    async (c) => {
      const category = c.req.param("category") ?? "";
      if (!categoryPattern.test(category)) {
        return badRequest(c, `"${category}" is not an arXiv category like cs.CL or hep-th.`);
      }
      const { papers } = await c.get("app").store.listings.byCategory(category, { limit: ENTRIES, offset: 0 });
      if (papers.length === 0) return notFound(c, "Category not found", `No papers in ${category} here.`);
      const description = `New papers in arXiv ${category}, newest first.`;
      return newestPapers(feeds.category(category), description, paths.category(category), papers);
    },
  );

  feedRoute(
    app,
    (format) => `/organizations/:name/feed.${format}`,
    async (c) => {
      const name = c.req.param("name") ?? "";
      if (!hfAccountName.test(name)) return badRequest(c, `"${name.slice(0, 100)}" is not an organisation name.`);
      const { store } = c.get("app");
      const organization = await store.organizations.byName(name);
      if (!organization) return notFound(c, "Organisation not found", `No papers from "${name}" here.`);
      const { items } = await store.organizations.papers(organization.id, ENTRIES, 0);
      const shown = organization.fullname ?? organization.name;
      return {
        feed: feeds.organization(organization.name, shown),
        description: `Papers from ${shown} on the daily feed, newest feed day first.`,
        pagePath: paths.organization(organization.name),
        entries: items.map((item) => ({ paper: item.paper, date: item.feedDate ?? item.paper.publishedAt })),
      };
    },
  );

  feedRoute(
    app,
    (format) => `/collections/:slug/feed.${format}`,
    async (c) => {
      let collection: CollectionWithPapers;
      try {
        // As anyone sees it: a feed's address carries no account, so a private collection is not there.
        collection = await c.get("community").collections.view(null, c.req.param("slug") ?? "");
      } catch (error) {
        if (!(error instanceof CommunityError && error.refusal === "not-found")) throw error;
        return notFound(c, "Collection not found", "There is no collection at this address, or it is private.");
      }
      return {
        feed: feeds.collection(collection.slug, collection.title),
        description: collection.description || `Papers collected by ${collection.ownerUsername}, in their order.`,
        pagePath: paths.collection(collection.slug),
        entries: collection.items.map((item) => ({ paper: item.paper, date: item.addedAt })),
      };
    },
  );

  feedRoute(
    app,
    (format) => `${paths.myFeed()}/feed.${format}`,
    async (c) => {
      const query = readQuery(c, myFeedQuery);
      const token = query.ok ? query.value.token : undefined;
      const { store } = c.get("app");
      const owner = token ? await store.feedTokens.owner(token) : null;
      if (!owner) return notFound(c, "Feed not found", "This private feed address opens nothing (any more).");
      // One reader's feed: no shared cache keeps it.
      c.header("Cache-Control", "private, no-cache");
      const { items } = await store.follows.feed(owner.id, ENTRIES, 0);
      return newestPapers(
        feeds.myFeed(token ?? ""),
        `New papers from what ${owner.username} follows, newest first.`,
        paths.myFeed(),
        items.map((item) => item.paper),
      );
    },
  );

  for (const format of formats) app.use(`${paths.search()}/feed.${format}`, searchBudget);
  feedRoute(
    app,
    (format) => `${paths.search()}/feed.${format}`,
    async (c) => {
      const query = readQuery(c, searchFeedQuery);
      if (!query.ok) return badRequest(c, query.message);
      const q = (query.value.q ?? "").trim();
      if (!q) return badRequest(c, "A search feed needs words to look for: add ?q=….");
      const { store } = c.get("app");
      // A feed follows what is new, so the newest keyword matches rather than the most relevant.
      const outcome = await search(store, q, { mode: "keyword", sort: "date", limit: ENTRIES });
      const papers =
        outcome.kind === "paper" ? await store.papers.getMany([outcome.id]) : outcome.hits.map((hit) => hit.paper);
      const feed = feeds.search(q);
      return newestPapers(feed, `The newest papers matching “${q}”.`, `${paths.search()}?${feed.query}`, papers);
    },
  );
}
