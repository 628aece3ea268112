import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/index.ts";
import { ingest } from "../ingest/run.ts";
import { Store } from "../store/index.ts";
import { createScratchDatabase } from "../store/scratch.ts";
import { benchmarkSource, evaluateMode, readSciFact, type Scores } from "./evaluation.ts";
import { type SearchMode, searchModes } from "./index.ts";
import { embedPapers, trainBuiltinEmbedder } from "./indexing.ts";

const usage = `Usage: npm run eval -- [--data DIR] [--mode keyword|semantic|hybrid|all] [--split test|train] [--json]

Loads BEIR SciFact (default ../shared/data/scifact) into a fresh temporary database through
Paperboy's own ingest, trains the built-in embedder on it, runs every query through search and
prints nDCG@10, recall@100 and MRR@10 per mode. The database is SQLite, or a private schema in
PostgreSQL when DATABASE_URL names one.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: "string", default: path.resolve(import.meta.dirname, "../../../shared/data/scifact") },
      mode: { type: "string", default: "all" },
      split: { type: "string", default: "test" },
      "keyword-weight": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const modes: SearchMode[] = values.mode === "all" ? searchModes : searchModes.filter((m) => m === values.mode);
  if (modes.length === 0 || (values.split !== "test" && values.split !== "train")) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const keywordWeight = values["keyword-weight"] === undefined ? undefined : Number(values["keyword-weight"]);
  const benchmark = readSciFact(values.data, values.split);
  const config = loadConfig();
  const scratch = await createScratchDatabase(config.database.kind === "postgres" ? config.database.url : undefined);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const store = await Store.open(scratch.target);
    try {
      log(`indexing ${benchmark.documents.length} documents into ${store.kind}`);
      const summary = await ingest(store, benchmarkSource(benchmark));
      if (summary.failed) throw new Error(`could not store ${summary.failed} documents: ${summary.errors[0]}`);
      if (modes.some((m) => m !== "keyword")) {
        log("training the built-in embedder and embedding documents");
        await embedPapers(store, await trainBuiltinEmbedder(store));
      }
      const results: Partial<Record<SearchMode, Scores>> = {};
      for (const mode of modes) {
        results[mode] = await evaluateMode(store, benchmark, mode, { keywordWeight });
        log(`${mode} done`);
      }
      if (values.json) {
        process.stdout.write(`${JSON.stringify(results)}\n`);
      } else {
        process.stdout.write(
          `SciFact ${values.split}, ${benchmark.queries.length} queries, ${store.kind}\n\nmode       nDCG@10  recall@100  MRR@10\n`,
        );
        for (const [mode, s] of Object.entries(results)) {
          process.stdout.write(
            `${mode.padEnd(10)} ${s["ndcg@10"].toFixed(4)}   ${s["recall@100"].toFixed(4)}    ${s["mrr@10"].toFixed(4)}\n`,
          );
        }
      }
      return 0;
    } finally {
      await store.close();
    }
  } finally {
    await scratch.dispose();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`eval: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
