import { z } from "@hono/zod-openapi";
import type { Context, Handler, Hono, MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CommunityError, type Refusal, refusalStatus } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { describeIssues, pageNumber } from "../../http/params.ts";
import { ErrorPage } from "../components/error-page.tsx";
import type { Site } from "../components/layout.tsx";
import { ForgedFormError } from "../session.ts";

export type PageContext = Context<AppEnv>;

// Pages change when papers are ingested or voted on: a short freshness window, then revalidation by ETag.
// A signed-in visitor's pages hold their votes and form tokens: theirs alone, never kept by a shared cache.
// Set before the handler runs: @hono/node-server's responses drop headers added to them afterwards.
const cacheControl: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header("Cache-Control", c.get("viewer") ? "private, no-cache" : "public, max-age=60, stale-while-revalidate=300");
  c.header("Vary", "Cookie");
  await next();
};
const entityTags = etag();

// Pages with forms carry the visitor's token; pages about an account are theirs alone.
const personal: MiddlewareHandler = async (c, next) => {
  c.header("Cache-Control", "private, no-store");
  await next();
};

/** Whether static/background-form.js sent the form, asking for a JSON answer instead of a page. */
export const wantsJson = (c: PageContext) => (c.req.header("accept") ?? "").includes("application/json");

/**
 * Runs a form's page or POST. A forged form (another site's, or a stale token) gets a 403 page; a
 * community rule the handler does not answer itself (a comment that does not exist, say) gets a
 * page with its status, or `{ "error" }` with it when the form was sent in the background.
 */
function answeringRefusals<Path extends string>(handler: Handler<AppEnv, Path>): Handler<AppEnv, Path> {
  return async (c, next) => {
    try {
      return await handler(c, next);
    } catch (error) {
      if (error instanceof ForgedFormError) {
        return errorPage(
          c,
          403,
          "Form refused",
          "This form was sent from another site or has expired. Go back, reload the page and try again.",
        );
      }
      if (error instanceof CommunityError) {
        if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
        if (wantsJson(c)) return c.json({ error: error.message }, refusalStatus[error.refusal]);
        const message = `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`;
        return errorPage(c, refusalStatus[error.refusal], refusalTitles[error.refusal], message);
      }
      throw error;
    }
  };
}

/** Registers a GET page with a form or personal content: never cached. */
export function formPage<Path extends string>(app: Hono<AppEnv>, path: Path, handler: Handler<AppEnv, Path>): void {
  app.get(path, personal, answeringRefusals(handler));
}

/** Registers the POST a form sends. */
export function postForm<Path extends string>(app: Hono<AppEnv>, path: Path, handler: Handler<AppEnv, Path>): void {
  app.post(path, personal, answeringRefusals(handler));
}

const refusalTitles: Record<Refusal, string> = {
  invalid: "Not accepted",
  unauthenticated: "Please log in",
  forbidden: "Not allowed",
  "not-found": "Not found",
  conflict: "Not possible",
  "rate-limited": "Slow down",
  unavailable: "Try again later",
};

/** Registers a GET page with ETag and Cache-Control (server/ compresses every response). */
export function page<Path extends string>(app: Hono<AppEnv>, path: Path, handler: Handler<AppEnv, Path>): void {
  app.get(path, entityTags, cacheControl, handler);
}

export function siteOf(c: PageContext): Site {
  const { config } = c.get("app");
  const viewer = c.get("viewer");
  return {
    name: config.siteName,
    baseUrl: config.baseUrl,
    viewer:
      viewer?.via === "session"
        ? { username: viewer.user.username, csrfToken: viewer.session.csrfToken, verified: viewer.user.emailVerified }
        : null,
  };
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
