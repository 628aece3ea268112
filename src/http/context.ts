import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { QueryEmbedder } from "../search/query-embedder.ts";
import type { Store } from "../store/index.ts";

/** What every handler may use; created once at start (server/app.ts) and passed down. */
export interface AppContext {
  store: Store;
  config: Config;
  logger: Logger;
  /** Turns search queries into vectors with the configured model (see search/query-embedder.ts). */
  embedder: QueryEmbedder;
}

/** The Hono environment of web/, api/ and mcp/: `c.get("app")` is the AppContext. */
export type AppEnv = { Variables: { app: AppContext } };
