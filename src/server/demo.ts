import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { readJsonLines } from "../ingest/file-source.ts";
import { ingest } from "../ingest/run.ts";
import type { Store } from "../store/index.ts";

/** The bundled demo corpus (see demo/README.md): 60 days of the Hugging Face feed with real upvotes, plus arXiv records. */
export const DEMO_CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../demo/demo-corpus.jsonl.gz",
);

/** Fills an empty database with the demo corpus; leaves a database that has papers alone. */
export async function loadDemoIfEmpty(store: Store, logger: Logger): Promise<boolean> {
  if ((await store.papers.count()) > 0) return false;
  logger.info({ corpus: DEMO_CORPUS }, "empty database: loading the demo corpus");
  const summary = await ingest(store, readJsonLines(DEMO_CORPUS));
  logger.info({ ...summary, errors: undefined }, "demo corpus loaded");
  return true;
}
