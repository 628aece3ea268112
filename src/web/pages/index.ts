import type { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { registerAssets } from "../assets.ts";
import { registerAuthorPage } from "./author.tsx";
import { registerCategoryPage } from "./category.tsx";
import { registerFeedPages } from "./feed.tsx";
import { registerFeeds } from "./feeds.ts";
import { registerPaperPage } from "./paper.tsx";
import { notFound } from "./respond.tsx";
import { registerSearchPage } from "./search.tsx";
import { registerSubscriptionPages } from "./subscriptions.tsx";
import { registerTrendingPage } from "./trending.tsx";

/** The human-facing site: feeds, paper, author and category pages, their assets, and the 404 page. */
export function registerPages(app: Hono<AppEnv>): void {
  registerAssets(app);
  registerFeedPages(app);
  registerFeeds(app);
  registerTrendingPage(app);
  registerAuthorPage(app);
  registerCategoryPage(app);
  registerPaperPage(app);
  registerSearchPage(app);
  registerSubscriptionPages(app);
  app.notFound((c) => (c.req.path.startsWith("/api/") ? c.json({ error: "Not found" }, 404) : notFound(c)));
}
