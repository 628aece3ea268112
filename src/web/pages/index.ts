import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { registerAssets } from "../assets.ts";
import { registerAccountPages } from "./account.tsx";
import { registerAuthorPage } from "./author.tsx";
import { registerAvatars } from "./avatar.ts";
import { registerCategoriesPage } from "./categories.tsx";
import { registerCategoryPage } from "./category.tsx";
import { registerDocsPage } from "./docs.tsx";
import { registerFeedPages } from "./feed.tsx";
import { registerFeeds } from "./feeds.ts";
import { registerPaperPage } from "./paper.tsx";
import { registerPaperActions } from "./paper-actions.tsx";
import { registerSearchPage } from "./search.tsx";
import { registerSettingsPages } from "./settings.tsx";
import { registerSubmitPage } from "./submit.tsx";
import { registerSubscriptionPages } from "./subscriptions.tsx";
import { registerTrendingPage } from "./trending.tsx";

export { badRequest, errorPage, notFound } from "./respond.tsx";

/** The human-facing site: feeds, paper, author and category pages, search, accounts, the API docs, and their assets. */
export function registerPages(app: Hono<AppEnv>): void {
  registerAssets(app);
  registerAvatars(app);
  registerAccountPages(app);
  registerSettingsPages(app);
  registerSubmitPage(app);
  registerPaperActions(app);
  registerFeedPages(app);
  registerFeeds(app);
  registerTrendingPage(app);
  registerAuthorPage(app);
  registerCategoriesPage(app);
  registerCategoryPage(app);
  registerPaperPage(app);
  registerSearchPage(app);
  registerSubscriptionPages(app);
  registerDocsPage(app);
}
