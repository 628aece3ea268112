import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { httpRequestDuration, renderMetrics } from "../metrics/index.ts";
import { routeOfKeptResponse } from "./render-cache.ts";

/**
 * Times every request into the latency histogram, labelled with the route pattern that answered
 * (`/papers/:arxivId`, never the raw path, which would make a series per paper).
 */
export const requestMetrics: MiddlewareHandler = async (c, next) => {
  const stop = httpRequestDuration.startTimer();
  try {
    await next();
  } finally {
    const route = routeOfKeptResponse.get(c.req.raw) ?? routePath(c);
    stop({ method: c.req.method, route, status: String(c.res.status) });
  }
};

/** GET /metrics: the Prometheus text format. */
export const serveMetrics: MiddlewareHandler = async (c) => {
  const { contentType, body } = await renderMetrics();
  return c.body(body, 200, { "Content-Type": contentType, "Cache-Control": "no-store" });
};
