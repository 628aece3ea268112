/**
 * Search latency per mode (p50/p95/max over reader-like queries), each with its ratio to a
 * baseline measured in the same run on the same database: a bare full-text match of each
 * query's words, `LIMIT 20` (FTS5 `MATCH` on SQLite, the GIN-indexed `@@` on PostgreSQL), the
 * least any keyword search must do. Timings depend on the machine and what else it is doing; the
 * ratios much less.
 *
 * `npx tsx bench/search-latency.ts [--rounds N]` measures the database DATABASE_URL names (SQLite
 * or PostgreSQL), which should hold a real corpus (e.g. the 75k arXiv papers) embedded with
 * `paperboy embed`; `npm run bench` measures one it builds from a slice of the shared arXiv set.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { loadConfig, parseDatabaseUrl } from "../src/config/index.ts";
import { readJsonLines } from "../src/ingest/file-source.ts";
import type { SourceItem } from "../src/ingest/run.ts";
import { ingest } from "../src/ingest/run.ts";
import { type SearchMode, search, searchModes } from "../src/search/index.ts";
import { embedPapers, trainBuiltinEmbedder } from "../src/search/indexing.ts";
import { parseQuery } from "../src/search/query.ts";
import { Store } from "../src/store/index.ts";

export const queries = [
  "large-scale pretraining data filtering",
  "diffusion models for video generation",
  "reinforcement learning from human feedback",
  "retrieval augmented generation",
  "mixture of experts routing",
  "graph neural networks molecules",
  "speculative decoding",
  "vision language models hallucination",
  "protein structure prediction",
  "quantization of large language models",
  "attention is all you need",
  "chain of thought reasoning",
  "neural radiance fields",
  "federated learning privacy",
  "dark matter halo simulations",
  "black hole",
  "author:hinton",
  '"language model" cat:cs.CL after:2024',
  "transformers -vision",
  "title:benchmark code generation",
  "the",
  "a survey of deep learning methods for medical image segmentation",
  "low-rank adaptation fine-tuning",
  "contrastive learning",
  "robot manipulation policies from demonstrations",
  "LLM agents tool use",
  "state space models mamba",
  "sparse autoencoders interpretability",
  "galaxy clusters weak lensing",
  "time series forecasting",
];

const corpus = path.resolve(import.meta.dirname, "../../shared/data/arxiv/papers.jsonl.gz");

interface Timings {
  p50: number;
  p95: number;
  max: number;
}

function timings(times: number[]): Timings {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

/** Runs each query once to warm caches, then `rounds` times timed. */
async function measure(rounds: number, run: (query: string) => Promise<unknown> | unknown): Promise<Timings> {
  for (const q of queries) await run(q);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const started = process.hrtime.bigint();
      await run(q);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return timings(times);
}

/** The baseline: the first 20 papers with all of a query's free words, unranked. */
function bareMatch(store: Store): (query: string) => Promise<unknown> | unknown {
  const words = (q: string) => parseQuery(q).query.anyWords;
  const sqlite = store.connection.sqlite;
  if (sqlite) {
    const bare = sqlite.prepare("SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT 20");
    return (q) =>
      words(q).length
        ? bare.all(
            words(q)
              .map((w) => `"${w}"`)
              .join(" "),
          )
        : [];
  }
  return (q) =>
    words(q).length
      ? sql`SELECT pk FROM papers WHERE search_vector @@ plainto_tsquery('english', ${words(q).join(" ")})
            LIMIT 20`.execute(store.connection.db)
      : [];
}

/** Prints the latency table for an embedded database (sqlite: or postgres: URL). */
export async function benchSearch(url: string, rounds: number): Promise<void> {
  const store = await Store.open(parseDatabaseUrl(url));
  try {
    const baseline = await measure(rounds, bareMatch(store));
    const papers = (await store.papers.count()).toLocaleString("en-US");
    const vectors = (await store.vectors.current())?.embedder ?? "none (run paperboy embed)";
    console.log(`search, ${papers} papers, vectors ${vectors}, ${queries.length} queries × ${rounds} rounds, limit 20`);
    const ms = (t: number) => `${t.toFixed(1)} ms`.padStart(9);
    const line = (label: string, t: Timings) =>
      console.log(
        `  ${label.padEnd(34)} p50 ${ms(t.p50)} (${(t.p50 / baseline.p50).toFixed(0).padStart(4)}x)` +
          `   p95 ${ms(t.p95)} (${(t.p95 / baseline.p95).toFixed(0).padStart(4)}x)   max ${ms(t.max)}`,
      );
    line(`baseline: bare ${store.connection.sqlite ? "FTS5 MATCH" : "@@ (GIN)"} LIMIT 20`, baseline);
    for (const mode of searchModes as SearchMode[]) {
      line(`search, ${mode}`, await measure(rounds, (q) => search(store, q, { mode, limit: 20 })));
    }
  } finally {
    await store.close();
  }
}

export async function* firstPapers(limit: number): AsyncGenerator<SourceItem> {
  let count = 0;
  for await (const item of readJsonLines(corpus)) {
    if (count++ >= limit) return;
    yield item;
  }
}

/** Fills an empty SQLite database with the first papers of the shared arXiv set and embeds them. */
export async function buildSearchCorpus(url: string, papers: number): Promise<void> {
  const store = await Store.open(parseDatabaseUrl(url));
  try {
    await ingest(store, firstPapers(papers));
    await embedPapers(store, await trainBuiltinEmbedder(store));
  } finally {
    await store.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
  const database = loadConfig().database;
  await benchSearch(database.kind === "sqlite" ? `sqlite:${database.path}` : database.url, Number(values.rounds));
}
