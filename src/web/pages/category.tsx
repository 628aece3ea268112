import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { categoryName } from "../categories.ts";
import { PaperListView } from "../components/paper-list-view.tsx";
import { feeds, paths } from "../paths.ts";
import { uncategorizedNotice } from "./categories.tsx";
import { withVotes } from "./paper-actions.tsx";
import { badRequest, listQuery, notFound, offsetOf, PAGE_SIZE, page, readQuery, siteOf } from "./respond.tsx";

// arXiv categories: an archive (hep-th, cs) and optionally a subject class (cs.CL, math.AG, q-bio.NC).
export const categoryPattern = /^[a-z][a-z-]{0,15}(\.[A-Za-z][A-Za-z-]{0,15})?$/;

export function registerCategoryPage(app: Hono<AppEnv>): void {
  page(app, "/categories/:category", async (c) => {
    const category = c.req.param("category");
    if (!categoryPattern.test(category)) {
      return badRequest(c, `"${category}" is not an arXiv category like cs.CL or hep-th.`);
    }
    const query = readQuery(c, listQuery);
    if (!query.ok) return badRequest(c, query.message);
    const pageNumber = Number(query.value.page ?? 1);
    const { listings } = c.get("app").store;
    const [list, uncategorized] = await Promise.all([
      listings.byCategory(category, { limit: PAGE_SIZE, offset: offsetOf(pageNumber) }),
      listings.uncategorizedCount(),
    ]);
    if (list.papers.length === 0) {
      return notFound(
        c,
        "Category not found",
        <>
          {`No papers in ${category} here${pageNumber > 1 ? " on this page" : ""}. `}
          {uncategorized > 0 ? `${uncategorizedNotice(uncategorized)} ` : null}
          <a href={paths.categories()}>All categories</a>
        </>,
      );
    }
    return c.html(
      await withVotes(
        c,
        list.papers,
        <PaperListView
          site={siteOf(c)}
          title={categoryName(category)}
          intro={`arXiv ${category}: papers in this category, newest first`}
          papers={list.papers}
          total={list.total}
          page={pageNumber}
          pageSize={PAGE_SIZE}
          path={paths.category(category)}
          feed={feeds.category(category)}
          section="categories"
          notice={uncategorized > 0 ? uncategorizedNotice(uncategorized) : undefined}
        />,
      ),
    );
  });
}
