import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Config } from "../config/index.ts";
import { queryEmbedderFor } from "../search/query-embedder.ts";
import { Store } from "../store/index.ts";
import { createServerApp } from "./app.ts";
import { loadDemoIfEmpty } from "./demo.ts";
import { createLogger } from "./logger.ts";
import { listenForMetrics } from "./metrics.ts";

export interface RunningServer {
  url: string;
  /** Where /metrics is served when it has a port of its own. */
  metricsUrl?: string;
  /** Stops accepting connections, lets open requests finish, then closes the database. */
  close(): Promise<void>;
}

/** What one client may hold of the server: a slow or silent client is cut off rather than waited for. */
export interface ServerLimits {
  /** To receive a whole request, headers and body. */
  requestTimeoutMs: number;
  /** To receive the headers. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as they arrive. */
  maxConnections: number;
}

export const defaultServerLimits: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};

/** Opens the database (migrating it), loads the demo if asked, and starts listening. */
export async function startServer(config: Config, limits: ServerLimits = defaultServerLimits): Promise<RunningServer> {
  const logger = createLogger(config);
  const store = await Store.open(config.database, { searchCacheBytes: config.searchCacheBytes });
  if (config.demo) await loadDemoIfEmpty(store, logger, config.embedder);
  const embedder = queryEmbedderFor(config.embedder, (err, message) => logger.warn({ err }, message));
  const { app } = createServerApp({ store, config, logger, embedder });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: {
          requestTimeout: limits.requestTimeoutMs,
          headersTimeout: limits.headersTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          // How often Node looks for requests past their deadline (30 s unless told).
          connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
        },
      },
      () => resolve(s),
    );
  });
  server.maxConnections = limits.maxConnections;
  const address = (s: { address(): unknown }) =>
    `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${(s.address() as AddressInfo).port}`;
  const url = address(server);
  const metricsServer =
    config.metrics.kind === "port" ? await listenForMetrics(config.metrics.port, config.host) : null;
  const metricsUrl = metricsServer ? `${address(metricsServer)}/metrics` : undefined;
  logger.info({ url, metrics: metricsUrl, database: store.description }, "paperboy is listening");
  let closing: Promise<void> | null = null;
  return {
    url,
    metricsUrl,
    close() {
      closing ??= (async () => {
        logger.info("shutting down");
        metricsServer?.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
        logger.info("stopped");
      })();
      return closing;
    },
  };
}
