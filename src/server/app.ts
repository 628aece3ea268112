import type { Hono, MiddlewareHandler } from "hono";
import { watchPool, watchProcess } from "../metrics/index.ts";
import { type AppContext, type AppEnv, createApp } from "../web/app.ts";
import { RenderCache } from "./render-cache.ts";
import { requestMetrics, serveMetrics } from "./request-metrics.ts";

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
