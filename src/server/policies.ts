import type { Context, Hono, MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/context.ts";

/**
 * Sent with every response. Pages run no inline script and carry no inline style (formulas are
 * MathML, the docs page loads its start-up script from a file); the one outside source is Hugging
 * Face's paper thumbnails, which fall back to a drawn stand-in wherever they cannot load.
 */
const securityHeaders: Record<string, string> = {
  "Content-Security-Policy": [
    "default-src 'self'",
    "img-src 'self' data: https://cdn-thumbnails.huggingface.co",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
};

/**
 * Security headers on every response, and errors kept out of shared caches: a 5xx (or a 429) is
 * never stored, another 4xx only briefly and only by the client.
 */
export const responsePolicies: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // c.header, not c.res.headers: @hono/node-server's responses drop headers set on them afterwards.
  for (const [name, value] of Object.entries(securityHeaders)) c.header(name, value);
  const { status } = c.res;
  if (status >= 500 || status === 429) c.header("Cache-Control", "no-store");
  else if (status >= 400) c.header("Cache-Control", "private, max-age=30");
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** No route names this method, so it matches only what every method does (middleware, catch-alls). */
const NO_METHOD = "PAPERBOY-NO-METHOD";

/**
 * 405 with Allow when the path has routes, but none for this method (POST to a page, say); paths
 * with no route at all go on to the 404. `refuse` writes the answer.
 */
export function allowedMethods(
  app: Hono<AppEnv>,
  refuse: (c: Context<AppEnv>, allowed: string[]) => Response | Promise<Response>,
): MiddlewareHandler<AppEnv> {
  const routes = (method: string, path: string) => app.router.match(method, path)[0].length;
  return async (c, next) => {
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    if (method === "OPTIONS") return next();
    const path = c.req.path;
    const everyMethod = routes(NO_METHOD, path);
    if (routes(method, path) > everyMethod) return next();
    const allowed = METHODS.filter((m) => routes(m, path) > everyMethod).flatMap((m) =>
      m === "GET" ? ["GET", "HEAD"] : [m],
    );
    if (allowed.length === 0) return next();
    c.header("Allow", allowed.join(", "));
    return refuse(c, allowed);
  };
}
