import { Hono, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { registerApi } from "../api/index.ts";
import type { AppContext, AppEnv } from "../http/context.ts";
import { registerMcpHttp } from "../mcp/http.ts";
import { watchPool, watchProcess } from "../metrics/index.ts";
import { notFound, registerPages } from "../web/pages/index.ts";
import { RenderCache } from "./render-cache.ts";
import { requestMetrics, serveMetrics } from "./request-metrics.ts";

export type { AppContext, AppEnv } from "../http/context.ts";

/**
 * The whole HTTP surface: APIs, MCP, pages and health, as one Request → Response function.
 * `outermost` runs before everything else (request metrics and the render cache, see createServerApp).
 */
export function createApp(context: AppContext, outermost: MiddlewareHandler[] = []): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const middleware of outermost) app.use(middleware);
  app.use(async (c, next) => {
    c.set("app", context);
    await next();
  });
  // The APIs first: their routes win over the pages' (/papers/{id}.md over /papers/*).
  registerApi(app);
  registerMcpHttp(app);
  registerPages(app);

  app.get("/healthz", async (c) => {
    const papers = await context.store.papers.count();
    return c.json({ status: "ok", database: context.store.kind, papers });
  });

  app.notFound((c) => (c.req.path.startsWith("/api/") ? c.json({ error: "Not found" }, 404) : notFound(c)));
  app.onError((error, c) => {
    // Bad input Hono itself detects (a malformed body, say) is the client's mistake, not ours.
    if (error instanceof HTTPException && error.status < 500) return error.getResponse();
    context.logger.error({ err: error, path: c.req.path }, "request failed");
    return c.text("Internal server error", 500);
  });
  return app;
}

/**
 * The site as `serve` runs it: the app, with request metrics and /metrics when configured, and
 * the render cache for anonymous readers unless it is sized 0.
 */
export function createServerApp(context: AppContext): { app: Hono<AppEnv>; renderCache: RenderCache | null } {
  const { config, store } = context;
  const outermost: MiddlewareHandler[] = [];
  if (config.metrics.kind !== "off") {
    watchProcess();
    watchPool(() => store.poolUse());
    outermost.push(requestMetrics);
  }
  const renderCache =
    config.renderCache.maxBytes > 0
      ? new RenderCache({
          maxBytes: config.renderCache.maxBytes,
          checkIntervalMs: config.renderCache.checkIntervalMs,
          version: () => store.dataVersion.current(),
        })
      : null;
  if (renderCache) outermost.push(renderCache.middleware);
  const app = createApp(context, outermost);
  if (config.metrics.kind === "site") app.get("/metrics", serveMetrics);
  return { app, renderCache };
}
