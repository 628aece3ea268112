import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { PaperListView } from "../components/paper-list-view.tsx";
import { feeds, paths } from "../paths.ts";
import { withVotes } from "./paper-actions.tsx";
import { badRequest, listQuery, notFound, offsetOf, PAGE_SIZE, page, readQuery, siteOf } from "./respond.tsx";

const MAX_NAME_LENGTH = 300;

/** A name we look authors up by: not blank, not absurdly long. */
export const isAuthorName = (name: string) => name.trim() !== "" && name.length <= MAX_NAME_LENGTH;

export function registerAuthorPage(app: Hono<AppEnv>): void {
  page(app, "/authors/:name", async (c) => {
    const name = c.req.param("name");
    if (!isAuthorName(name)) return badRequest(c, "That is not an author name.");
    const query = readQuery(c, listQuery);
    if (!query.ok) return badRequest(c, query.message);
    const pageNumber = Number(query.value.page ?? 1);
    const list = await c.get("app").store.listings.byAuthor(name, { limit: PAGE_SIZE, offset: offsetOf(pageNumber) });
    if (list.papers.length === 0) {
      return notFound(c, "Author not found", `No papers by "${name}" here${pageNumber > 1 ? " on this page" : ""}.`);
    }
    return c.html(
      await withVotes(
        c,
        list.papers,
        <PaperListView
          site={siteOf(c)}
          title={name}
          intro="Papers by this author, newest first"
          papers={list.papers}
          total={list.total}
          page={pageNumber}
          pageSize={PAGE_SIZE}
          path={paths.author(name)}
          feed={feeds.author(name)}
          author={name}
        />,
      ),
    );
  });
}
