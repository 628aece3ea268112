import type { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { PaperListView } from "../components/paper-list-view.tsx";
import { feeds, paths } from "../paths.ts";
import { badRequest, notFound, PAGE_SIZE, page, parsePageNumber, siteOf } from "./respond.tsx";

const MAX_NAME_LENGTH = 300;

/** A name we look authors up by: not blank, not absurdly long. */
export const isAuthorName = (name: string) => name.trim() !== "" && name.length <= MAX_NAME_LENGTH;

export function registerAuthorPage(app: Hono<AppEnv>): void {
  page(app, "/authors/:name", async (c) => {
    const name = c.req.param("name");
    if (!isAuthorName(name)) return badRequest(c, "That is not an author name.");
    const pageNumber = parsePageNumber(c.req.query("page"));
    if (!pageNumber) return badRequest(c, "The page number must be a whole number from 1.");
    const list = await c
      .get("app")
      .store.listings.byAuthor(name, { limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE });
    if (list.papers.length === 0) {
      return notFound(c, "Author not found", `No papers by "${name}" here${pageNumber > 1 ? " on this page" : ""}.`);
    }
    return c.html(
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
      />,
    );
  });
}
