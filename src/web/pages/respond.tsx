import { z } from "@hono/zod-openapi";
import type { Context, Handler, Hono, MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../http/context.ts";
import { describeIssues, pageNumber } from "../../http/params.ts";
import { ErrorPage } from "../components/error-page.tsx";
import type { Site } from "../components/layout.tsx";

export type PageContext = Context<AppEnv>;

// Pages change when papers are ingested or voted on: a short freshness window, then revalidation by ETag.
// Set before the handler runs: @hono/node-server's responses drop headers added to them afterwards.
const cacheControl: MiddlewareHandler = async (c, next) => {
  c.header("Cache-Control", "public, max-age=60, stale-while-revalidate=300");
  await next();
};
const entityTags = etag();

/** Registers a GET page with ETag and Cache-Control (server/ compresses every response). */
export function page<Path extends string>(app: Hono<AppEnv>, path: Path, handler: Handler<AppEnv, Path>): void {
  app.get(path, entityTags, cacheControl, handler);
}

export function siteOf(c: PageContext): Site {
  const { config } = c.get("app");
  return { name: config.siteName, baseUrl: config.baseUrl };
}

/** An error page: what went wrong, in the site's layout. */
export function errorPage(c: PageContext, status: ContentfulStatusCode, title: string, message: Child) {
  return c.html(
    <ErrorPage site={siteOf(c)} title={title}>
      <p>{message}</p>
    </ErrorPage>,
    status,
  );
}

/** A 400 page naming what was wrong with the address. */
export function badRequest(c: PageContext, message: Child) {
  return errorPage(c, 400, "Bad request", message);
}

export function notFound(c: PageContext, title = "Page not found", message?: Child) {
  return errorPage(c, 404, title, message ?? "There is no page at this address.");
}

/**
 * The page's query parameters checked with the same schemas as the APIs' (http/params.ts). An
 * empty value counts as absent, as a form sends an empty field.
 */
export function readQuery<S extends z.ZodType>(
  c: PageContext,
  schema: S,
): { ok: true; value: z.infer<S> } | { ok: false; message: string } {
  const given = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ""));
  const result = schema.safeParse(given);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, message: `${capitalized(describeIssues("query", result.error.issues))}.` };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `?page=N`, counting from 1: the one query parameter every list page takes. */
export const listQuery = z.object({ page: pageNumber(1).optional() });

/** The first item of page `page` (counting from 1) of PAGE_SIZE items. */
export const offsetOf = (page: number) => (page - 1) * PAGE_SIZE;

export const PAGE_SIZE = 50;
