import { createServer, type Server } from "node:http";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { httpRequestDuration, renderMetrics, watchPool, watchProcess, watchQueues } from "../metrics/index.ts";
import type { Store } from "../store/index.ts";
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

/** Starts reporting this process (memory, CPU, event loop), its database pool, and the outbox and job queues. */
export function watchStore(store: Store): void {
  watchProcess();
  watchPool(() => store.poolUse());
  watchQueues(async () => {
    const now = new Date();
    const [outbox, jobs] = await Promise.all([store.outbox.depths(now), store.jobs.list(now)]);
    return {
      outbox: { ...outbox },
      jobs: jobs.map((job) => ({
        name: job.name,
        running: job.runningOn !== null,
        lastFinishedAt: job.lastFinishedAt,
        lastOutcome: job.lastOutcome,
      })),
    };
  });
}

/** A plain HTTP server answering GET /metrics only, for a scraper on a private network. */
export async function listenForMetrics(port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found: metrics are at /metrics\n");
      return;
    }
    renderMetrics().then(
      ({ contentType, body }) => response.writeHead(200, { "Content-Type": contentType }).end(body),
      () => response.writeHead(500, { "Content-Type": "text/plain" }).end("could not collect metrics\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
