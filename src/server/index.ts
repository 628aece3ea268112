import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Config } from "../config/index.ts";
import { queryEmbedderFor } from "../search/query-embedder.ts";
import { Store } from "../store/index.ts";
import { createApp } from "./app.ts";
import { loadDemoIfEmpty } from "./demo.ts";
import { createLogger } from "./logger.ts";

export interface RunningServer {
  url: string;
  /** Stops accepting connections, lets open requests finish, then closes the database. */
  close(): Promise<void>;
}

/** Opens the database (migrating it), loads the demo if asked, and starts listening. */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config);
  const store = await Store.open(config.database);
  if (config.demo) await loadDemoIfEmpty(store, logger, config.embedder);
  const embedder = queryEmbedderFor(config.embedder, (err, message) => logger.warn({ err }, message));
  const app = createApp({ store, config, logger, embedder });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  logger.info({ url, database: store.description }, "paperboy is listening");
  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= (async () => {
        logger.info("shutting down");
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
        logger.info("stopped");
      })();
      return closing;
    },
  };
}
