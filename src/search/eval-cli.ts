import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, parseDatabaseUrl } from "../config/index.ts";
import { ingest } from "../ingest/run.ts";
import { Store } from "../store/index.ts";
import { createScratchDatabase } from "../store/scratch.ts";
import {
  type Benchmark,
  evaluateMode,
  type ModeResult,
  readLitSearch,
  readSciFact,
  type Scores,
} from "./evaluation.ts";
import { type SearchMode, searchModes } from "./index.ts";
import { embedPapers, trainBuiltinEmbedder } from "./indexing.ts";
import { parseQuery } from "./query.ts";

const usage = `Usage: npm run eval -- [--set scifact|litsearch-dev] [--mode keyword|semantic|hybrid|all]
                       [--split test|train] [--database URL] [--data DIR] [--json]

Measures search quality and speed the way a reader meets them: the benchmark's papers are
stored through Paperboy's own ingest, the built-in embedder is trained on them with
\`paperboy embed\`'s code, and every question goes through search() as the search box sends it.

  --set scifact         BEIR SciFact (../shared/data/scifact), nDCG@10, recall@100, MRR@10
  --set litsearch-dev   LitSearch questions among the 74,728 arXiv papers of ../shared/data/arxiv,
                        recall@5, recall@20, nDCG@10; keyword mode also reports how many
                        questions' top 20 equal exhaustive bm25 (every match scored)
  --database URL        use (and fill, when empty) this database instead of a fresh temporary
                        one: SQLite, or PostgreSQL (sqlite:FILE or postgres://…)
  --data DIR            where the benchmark's files are (default: found beside the repository)

Without --database the run uses a temporary SQLite file, or a private schema of the PostgreSQL
database DATABASE_URL names. Latency is the time of each search() call, p50 and p95.`;

/** The shared data directory: `shared/data` beside the repository or one of its parents. */
function sharedData(): string {
  for (let dir = path.resolve(import.meta.dirname, "../.."); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "..", "shared", "data");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(import.meta.dirname, "../../../shared/data");
  }
}

/** Stores the benchmark's papers unless the database holds them already, and embeds what has no vector. */
async function prepare(store: Store, benchmark: Benchmark, embed: boolean, log: (line: string) => void) {
  const stored = await store.papers.count();
  if (stored === 0) {
    log(`storing ${benchmark.papers.toLocaleString("en-US")} papers in ${store.description}`);
    for (const source of benchmark.sources()) {
      const summary = await ingest(store, source);
      if (summary.failed) throw new Error(`could not store ${summary.failed} papers: ${summary.errors[0]}`);
    }
  } else if (stored !== benchmark.papers) {
    throw new Error(`${store.description} holds ${stored} papers, not the ${benchmark.papers} of ${benchmark.name}`);
  }
  await store.search.catchUp();
  if (!embed) return;
  if ((await store.vectors.current()) === null || (await store.vectors.countWithoutVectors()) > 0) {
    log("training the built-in embedder and embedding the papers");
    await embedPapers(store, await trainBuiltinEmbedder(store));
  }
}

/** How many questions' keyword top 20 is exactly the top 20 of bm25 over every match. */
async function exhaustiveAgreement(store: Store, benchmark: Benchmark): Promise<number> {
  let same = 0;
  for (const q of benchmark.queries) {
    const { query } = parseQuery(q.text);
    const pruned = await store.search.keyword(query, { limit: 20 });
    const every = await store.search.keyword(query, { limit: 20, exhaustive: true });
    if (pruned.hits.map((h) => h.id).join() === every.hits.map((h) => h.id).join()) same++;
  }
  return same / Math.max(1, benchmark.queries.length);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      set: { type: "string", default: "scifact" },
      data: { type: "string" },
      database: { type: "string" },
      mode: { type: "string", default: "all" },
      split: { type: "string", default: "test" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const modes: SearchMode[] = values.mode === "all" ? searchModes : searchModes.filter((m) => m === values.mode);
  const split = values.split;
  if (
    modes.length === 0 ||
    (split !== "test" && split !== "train") ||
    (values.set !== "scifact" && values.set !== "litsearch-dev")
  ) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const data = values.data ?? sharedData();
  const litSearch = values.set === "litsearch-dev";
  const benchmark = litSearch
    ? readLitSearch(
        values.data ?? path.join(data, "litsearch-dev"),
        path.join(values.data ? path.join(values.data, "..") : data, "arxiv", "papers.jsonl.gz"),
      )
    : readSciFact(values.data ?? path.join(data, "scifact"), split);

  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig();
  const scratch = values.database
    ? null
    : await createScratchDatabase(config.database.kind === "postgres" ? config.database.url : undefined);
  try {
    const store = await Store.open(
      values.database ? parseDatabaseUrl(values.database) : (scratch?.target ?? config.database),
    );
    try {
      await prepare(
        store,
        benchmark,
        modes.some((m) => m !== "keyword"),
        log,
      );
      const results: Partial<Record<SearchMode, ModeResult>> = {};
      for (const mode of modes) {
        results[mode] = await evaluateMode(store, benchmark, mode);
        log(`${mode} done`);
      }
      const shown: (keyof Scores)[] = litSearch
        ? ["recall@5", "recall@20", "ndcg@10"]
        : ["ndcg@10", "recall@100", "mrr@10"];
      const agreement = litSearch && modes.includes("keyword") ? await exhaustiveAgreement(store, benchmark) : null;
      const round = (x: number) => Number(x.toFixed(4));
      const report = Object.fromEntries(
        Object.entries(results).map(([mode, r]) => [
          mode,
          {
            ...Object.fromEntries(shown.map((m) => [m, round(r.scores[m])])),
            p50: Number(r.p50.toFixed(1)),
            p95: Number(r.p95.toFixed(1)),
            ...(mode === "keyword" && agreement !== null ? { "top20=exhaustive": round(agreement) } : {}),
          },
        ]),
      );
      if (values.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        process.stdout.write(`${benchmark.name}, ${benchmark.queries.length} queries, ${store.kind}\n\n`);
        process.stdout.write(`${"mode".padEnd(10)}${shown.map((m) => m.padStart(12)).join("")}   p50 ms   p95 ms\n`);
        for (const [mode, r] of Object.entries(results)) {
          process.stdout.write(
            `${mode.padEnd(10)}${shown.map((m) => r.scores[m].toFixed(4).padStart(12)).join("")}` +
              `${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}\n`,
          );
        }
        if (agreement !== null) {
          process.stdout.write(
            `\nkeyword top 20 equal to exhaustive bm25: ${(agreement * 100).toFixed(1)}% of questions\n`,
          );
        }
      }
      return 0;
    } finally {
      await store.close();
    }
  } finally {
    await scratch?.dispose();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`eval: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
