import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { Embedder } from "../search/embedders/index.ts";
import type { Store } from "../store/index.ts";

/** What every handler may use; created once at start (server/app.ts) and passed down. */
export interface AppContext {
  store: Store;
  config: Config;
  logger: Logger;
  /** Embeds search queries when the configured embedder is not the built-in one (see server/query-embedder.ts). */
  embedder?: Embedder;
}

/** The Hono environment of web/, api/ and mcp/: `c.get("app")` is the AppContext. */
export type AppEnv = { Variables: { app: AppContext } };
