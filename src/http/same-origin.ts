import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";

/**
 * Where a browser says a request was made: its Origin or, without one, the origin of its Referer;
 * `"null"` for an opaque origin (a sandboxed frame, a page with `Referrer-Policy: no-referrer`);
 * undefined when the request names neither, which no browser does for a POST another site makes.
 */
export function requestOrigin(c: Context): string | undefined {
  const origin = c.req.header("origin");
  if (origin) return origin;
  const referer = c.req.header("referer");
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

/** The origins this site answers on: PAPERBOY_BASE_URL's, and the one the request was addressed to. */
export function isOwnOrigin(c: Context<AppEnv>, origin: string): boolean {
  return origin === new URL(c.get("app").config.baseUrl).origin || origin === new URL(c.req.url).origin;
}

export interface SameOriginOptions {
  /** Requests let through whatever their origin (a mail client's RFC 8058 one-click POST). */
  exempt?: (c: Context<AppEnv>) => boolean | Promise<boolean>;
  /** The answer to a request from another site's page. */
  refuse: (c: Context<AppEnv>, origin: string) => Response | Promise<Response>;
}

/**
 * Cross-site request forgery, refused by where the request comes from: a form another site's page
 * submits carries that site's Origin (or `null`), so only this site's own pages, and clients that are
 * no browser at all (scripts, mail servers: no Origin, no Referer), get through. For forms that need
 * no cookie; forms of a signed-in session also carry a per-session token.
 */
export function sameOriginForms(options: SameOriginOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = requestOrigin(c);
    if (origin === undefined || isOwnOrigin(c, origin)) return next();
    if (options.exempt && (await options.exempt(c))) return next();
    return options.refuse(c, origin);
  };
}
