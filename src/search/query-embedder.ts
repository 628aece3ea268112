import type { EmbedderSetting } from "../config/index.ts";
import type { Store } from "../store/index.ts";
import { configuredEmbedder, type Embedder, loadBuiltinEmbedder } from "./embedders/index.ts";

/** A query's vector, or why semantic ranking cannot run now (said to the reader). */
export type QueryVector = { vector: Float32Array } | { unavailable: string; failed: boolean };

/**
 * Turns search queries into vectors comparable with the papers' stored ones: one per process,
 * built from the configuration at start and handed to every surface that searches (pages, API,
 * MCP, CLI). It never throws: a model that is not set up, or an embeddings server that is down
 * or slow, makes semantic ranking unavailable with a reason, and search falls back to keywords.
 */
export interface QueryEmbedder {
  vectorFor(store: Store, text: string): Promise<QueryVector>;
}

/** Where a failing embedder is reported (the server's logger); search itself tells the reader. */
export type EmbedderWarning = (error: unknown, message: string) => void;

const notSetUp = "Semantic search is not set up yet (run `paperboy embed`): showing keyword matches.";
const otherModel = (stored: string) =>
  `The papers' vectors were made by another model (${stored}): run \`paperboy embed\` to embed them again. Showing keyword matches.`;
const failing =
  "Semantic ranking is unavailable right now (the embedding model did not answer): showing keyword matches.";

/** The query embedder for a configured model. */
export function queryEmbedderFor(setting: EmbedderSetting, warn: EmbedderWarning = () => {}): QueryEmbedder {
  if (setting.kind !== "builtin") {
    let configured: Promise<Embedder | null> | null = null;
    return queryEmbedderWith(async (store) => {
      configured ??= configuredEmbedder(store, setting).catch((error: unknown) => {
        configured = null;
        throw error;
      });
      return configured;
    }, warn);
  }
  // The built-in model lives in the database and changes with `paperboy embed --retrain`, so
  // it is loaded again whenever the stored vectors name another one.
  const loaded = new WeakMap<Store, Embedder | null>();
  return queryEmbedderWith(async (store, stored) => {
    const cached = loaded.get(store);
    if (cached?.id === stored) return cached;
    const builtin = await loadBuiltinEmbedder(store);
    loaded.set(store, builtin);
    return builtin;
  }, warn);
}

/** The query embedder of one model already at hand. */
export function queryEmbedderOf(embedder: Embedder, warn: EmbedderWarning = () => {}): QueryEmbedder {
  return queryEmbedderWith(async () => embedder, warn);
}

/** A query embedder whose model `load` gives for a store and the id of the model its vectors came from. */
function queryEmbedderWith(
  load: (store: Store, stored: string) => Promise<Embedder | null>,
  warn: EmbedderWarning,
): QueryEmbedder {
  return {
    async vectorFor(store, text) {
      const stored = await store.vectors.current();
      if (!stored) return { unavailable: notSetUp, failed: false };
      let embedder: Embedder | null;
      try {
        embedder = await load(store, stored.embedder);
      } catch (error) {
        warn(error, "could not load the embedding model: search falls back to keywords");
        return { unavailable: failing, failed: true };
      }
      if (!embedder) return { unavailable: notSetUp, failed: false };
      if (embedder.id !== stored.embedder) return { unavailable: otherModel(stored.embedder), failed: false };
      try {
        const [vector] = await embedder.embed([text], "query");
        return vector ? { vector } : { unavailable: failing, failed: true };
      } catch (error) {
        warn(error, "the embedding model failed on a query: search falls back to keywords");
        return { unavailable: failing, failed: true };
      }
    },
  };
}

/** The built-in model's query embedder: what search() uses when it is given none. */
export const builtinQueryEmbedder = queryEmbedderFor({ kind: "builtin" });
