import type { EmbedderSetting } from "../config/index.ts";
import { configuredEmbedder, type Embedder } from "../search/embedders/index.ts";
import type { Store } from "../store/index.ts";

/**
 * The embedder search() is given for queries. Undefined for the built-in model: search() loads
 * that from the database itself, so a running server picks up `paperboy embed --retrain`.
 */
export async function queryEmbedder(store: Store, setting: EmbedderSetting): Promise<Embedder | undefined> {
  if (setting.kind === "builtin") return undefined;
  return (await configuredEmbedder(store, setting)) ?? undefined;
}
