import { z } from "@hono/zod-openapi";
import { type SearchMode, type SearchSort, searchModes } from "../search/index.ts";
import { MAX_QUERY_LENGTH } from "../search/search-papers.ts";

/**
 * Query and path parameters the site's pages and the APIs share, written once: the APIs declare
 * them in their OpenAPI routes, the pages check them with `readQuery` (web/pages/respond.tsx).
 */

export const MAX_PAGE_NUMBER = 999_999;

/** A page number counting from `first`: the pages' `?page=` from 1, the Hugging Face-compatible `?p=` from 0. */
export function pageNumber(first: 0 | 1) {
  return z
    .string()
    .regex(first === 0 ? /^\d{1,6}$/ : /^[1-9]\d{0,5}$/, `must be a whole number from ${first} to ${MAX_PAGE_NUMBER}`);
}

/** What a reader searches for, from the search box, the API or an assistant. */
export const searchText = z.string().max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`);

export const searchMode = z.enum(searchModes as [SearchMode, ...SearchMode[]]);
export const searchSort = z.enum(["relevance", "date", "upvotes"] satisfies SearchSort[]);

const targetNames: Record<string, string> = { query: "query parameter", param: "path parameter", json: "body field" };

/** One sentence naming each bad parameter and what is wrong with it, e.g. `query parameter page: must be …`. */
export function describeIssues(target: string, issues: readonly z.core.$ZodIssue[]): string {
  const what = targetNames[target] ?? target;
  return issues
    .map((issue) => {
      const name = issue.path.map(String).join(".");
      return name ? `${what} ${name}: ${issue.message}` : `${what}s: ${issue.message}`;
    })
    .join("; ");
}
