import { z } from "@hono/zod-openapi";
import type { Context, Handler, Hono, MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { etag } from "hono/etag";
import type { Child } from "hono/jsx";
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
const compression = compress();
const entityTags = etag();

// Pages with forms carry the visitor's token; pages about an account are theirs alone.
const personal: MiddlewareHandler = async (c, next) => {
  c.header("Cache-Control", "private, no-store");
  await next();
};

/** Registers a GET page with a form or personal content: compressed, never cached. */
export function formPage<Path extends string>(app: Hono<AppEnv>, path: Path, handler: Handler<AppEnv, Path>): void {
  app.get(path, compression, personal, handler);
}

/**
 * Registers the POST a form sends. A forged form (another site's, or a stale token) gets a 403
 * page; a community rule the handler does not answer itself gets a page with its status.
 */
export function postForm<Path extends string>(app: Hono<AppEnv>, path: Path, handler: Handler<AppEnv, Path>): void {
  app.post(path, personal, async (c, next) => {
    try {
      return await handler(c, next);
    } catch (error) {
      if (error instanceof ForgedFormError) {
        return c.html(
          <ErrorPage site={siteOf(c)} title="Form refused">
            <p>This form was sent from another site or has expired. Go back, reload the page and try again.</p>
          </ErrorPage>,
          403,
        );
      }
      if (error instanceof CommunityError) {
        if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
        return c.html(
          <ErrorPage site={siteOf(c)} title={refusalTitles[error.refusal]}>
            <p>{`${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`}</p>
          </ErrorPage>,
          refusalStatus[error.refusal],
        );
      }
      throw error;
    }
  });
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

/** Registers a GET page with compression, ETag and Cache-Control. */
export function page<Path extends string>(app: Hono<AppEnv>, path: Path, handler: Handler<AppEnv, Path>): void {
  app.get(path, compression, entityTags, cacheControl, handler);
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

/** A 400 page naming what was wrong with the address. */
export function badRequest(c: PageContext, message: Child) {
  return c.html(
    <ErrorPage site={siteOf(c)} title="Bad request">
      <p>{message}</p>
    </ErrorPage>,
    400,
  );
}

export function notFound(c: PageContext, title = "Page not found", message?: Child) {
  return c.html(
    <ErrorPage site={siteOf(c)} title={title}>
      <p>{message ?? "There is no page at this address."}</p>
    </ErrorPage>,
    404,
  );
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
