import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { EmbedderSetting } from "../config/index.ts";
import { readJsonLines } from "../ingest/file-source.ts";
import { ingest } from "../ingest/run.ts";
import { embeddedPapers } from "../metrics/index.ts";
import { configuredEmbedder } from "../search/embedders/index.ts";
import { embedPapers, trainBuiltinEmbedder } from "../search/indexing.ts";
import type { Store } from "../store/index.ts";

/** The bundled demo corpus (see demo/README.md): 60 days of the Hugging Face feed with real upvotes, plus arXiv records. */
export const DEMO_CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../demo/demo-corpus.jsonl.gz",
);

/**
 * Fills an empty database with the demo corpus and embeds it, so hybrid search and similar
 * papers work on the first start; leaves a database that has papers alone.
 */
export async function loadDemoIfEmpty(store: Store, logger: Logger, embedder: EmbedderSetting): Promise<boolean> {
  if ((await store.papers.count()) > 0) return false;
  logger.info({ corpus: DEMO_CORPUS }, "empty database: loading the demo corpus");
  const summary = await ingest(store, readJsonLines(DEMO_CORPUS));
  logger.info({ ...summary, errors: undefined }, "demo corpus loaded");
  await embedDemo(store, logger, embedder);
  return true;
}

/** What `paperboy embed` does on a fresh database; a failing embeddings server costs semantic search, not the start. */
async function embedDemo(store: Store, logger: Logger, setting: EmbedderSetting): Promise<void> {
  const started = Date.now();
  try {
    const embedder = (await configuredEmbedder(store, setting)) ?? (await trainBuiltinEmbedder(store));
    const { done } = await embedPapers(store, embedder);
    embeddedPapers.inc(done);
    logger.info({ embedder: embedder.id, papers: done, ms: Date.now() - started }, "demo corpus embedded");
  } catch (error) {
    logger.warn(
      { err: error },
      "could not embed the demo corpus: search uses keywords only until `paperboy embed` succeeds",
    );
  }
}
