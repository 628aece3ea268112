import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { PaperListView } from "../components/paper-list-view.tsx";
import { feeds, paths } from "../paths.ts";
import { withVotes } from "./paper-actions.tsx";
import { badRequest, listQuery, notFound, offsetOf, PAGE_SIZE, page, readQuery, siteOf } from "./respond.tsx";

export function registerTrendingPage(app: Hono<AppEnv>): void {
  page(app, "/papers/trending", async (c) => {
    const query = readQuery(c, listQuery);
    if (!query.ok) return badRequest(c, query.message);
    const pageNumber = Number(query.value.page ?? 1);
    const list = await c.get("app").store.listings.trending({ limit: PAGE_SIZE, offset: offsetOf(pageNumber) });
    if (pageNumber > 1 && list.papers.length === 0) return notFound(c, "No such page", "This list has fewer pages.");
    return c.html(
      await withVotes(
        c,
        list.papers,
        <PaperListView
          site={siteOf(c)}
          title="Trending papers"
          intro="Upvotes weighed against age: every tenfold of upvotes counts as 36 hours newer"
          section="trending"
          papers={list.papers}
          total={list.total}
          page={pageNumber}
          pageSize={PAGE_SIZE}
          path={paths.trending()}
          feed={feeds.rolling("trending")}
        />,
      ),
    );
  });
}
