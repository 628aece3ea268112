/**
 * Search latency per mode (p50/p95/max), for two sets of queries: short topics a reader types,
 * and the LitSearch-dev questions in plain English (../shared/data/litsearch-dev). Each set has
 * its baseline measured in the same run on the same database: the raw engine ranking every
 * match of the same words, `LIMIT 20` (FTS5's bm25 of the words OR-ed on SQLite; ts_rank of
 * the words OR-ed over the GIN-indexed search_vector on PostgreSQL). Timings depend on the
 * machine and what else it is doing; the ratios much less.
 *
 * `npx tsx bench/search-latency.ts [--rounds N] [--questions N]` measures the database
 * DATABASE_URL names (SQLite or PostgreSQL), which should hold a real corpus (e.g. the 75k arXiv
 * papers) embedded with `paperboy embed`; `npm run bench` measures one it builds from a slice of
 * the shared arXiv set.
 */
import fs from "node:fs";
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

export const topics = [
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
  "a survey of deep learning methods for medical image segmentation",
  "low-rank adaptation fine-tuning",
  "contrastive learning",
  "robot manipulation policies from demonstrations",
  "LLM agents tool use",
  "state space models mamba",
  "sparse autoencoders interpretability",
  "galaxy clusters weak lensing",
  "time series forecasting",
  "learning",
];

const sharedData = path.resolve(import.meta.dirname, "../../shared/data");
const corpus = path.join(sharedData, "arxiv/papers.jsonl.gz");
const questionsFile = path.join(sharedData, "litsearch-dev/questions.jsonl");

/** The LitSearch-dev questions, or an empty list (said on stderr) when the shared data is not there. */
export function devQuestions(limit = Number.POSITIVE_INFINITY): string[] {
  if (!fs.existsSync(questionsFile)) {
    process.stderr.write(`bench: ${questionsFile} is missing: the question set is skipped\n`);
    return [];
  }
  return fs
    .readFileSync(questionsFile, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(0, limit)
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

export interface Timings {
  p50: number;
  p95: number;
  max: number;
}

function timings(times: number[]): Timings {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

/** Runs each query once to warm caches, then `rounds` times timed: every timing, in ms. */
export async function timeQueries(
  queries: string[],
  rounds: number,
  run: (query: string) => Promise<unknown> | unknown,
): Promise<number[]> {
  for (const q of queries) await run(q);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const started = process.hrtime.bigint();
      await run(q);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return times;
}

async function measure(
  queries: string[],
  rounds: number,
  run: (query: string) => Promise<unknown> | unknown,
): Promise<Timings> {
  return timings(await timeQueries(queries, rounds, run));
}

/**
 * The baseline: the raw engine ranking every paper that holds any of a query's words (the words
 * search ranks by), best 20 first.
 */
function exhaustiveRanking(store: Store): (query: string) => Promise<unknown> | unknown {
  const words = (q: string) => parseQuery(q).query.anyWords;
  const sqlite = store.connection.sqlite;
  if (sqlite) {
    const ranked = sqlite.prepare(
      "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, 3, 1, 1) LIMIT 20",
    );
    return (q) =>
      words(q).length
        ? ranked.all(
            words(q)
              .map((w) => `"${w}"`)
              .join(" OR "),
          )
        : [];
  }
  return (q) => {
    if (!words(q).length) return [];
    const any = sql.join(
      words(q).map((w) => sql`plainto_tsquery('english', ${w})`),
      sql` || `,
    );
    return sql`SELECT pk FROM papers WHERE search_vector @@ (${any})
      ORDER BY ts_rank(search_vector, (${any})) DESC LIMIT 20`.execute(store.connection.db);
  };
}

export interface SetLatency {
  set: string;
  queries: number;
  baseline: Timings;
  modes: Record<SearchMode, Timings>;
}

/** Measures one query set: the baseline, then search in each mode, limit 20. */
export async function measureSet(store: Store, set: string, queries: string[], rounds: number): Promise<SetLatency> {
  const baseline = await measure(queries, rounds, exhaustiveRanking(store));
  const modes = {} as Record<SearchMode, Timings>;
  for (const mode of searchModes)
    modes[mode] = await measure(queries, rounds, (q) => search(store, q, { mode, limit: 20 }));
  return { set, queries: queries.length, baseline, modes };
}

/** Prints the latency tables for an embedded database (sqlite: or postgres: URL). */
export async function benchSearch(url: string, rounds: number, questions = 100): Promise<SetLatency[]> {
  const store = await Store.open(parseDatabaseUrl(url));
  try {
    await store.search.catchUp();
    const papers = (await store.papers.count()).toLocaleString("en-US");
    const vectors = (await store.vectors.current())?.embedder ?? "none (run paperboy embed)";
    const engine = store.connection.sqlite ? "FTS5 bm25" : "ts_rank over @@";
    const sets = [
      { name: "topics", queries: topics, rounds },
      { name: "questions", queries: devQuestions(questions), rounds: Math.max(1, Math.ceil(rounds / 3)) },
    ].filter((s) => s.queries.length > 0);
    console.log(`search, ${papers} papers, vectors ${vectors}, limit 20 (${store.kind})`);
    const ms = (t: number) => `${t.toFixed(1)} ms`.padStart(9);
    const results: SetLatency[] = [];
    for (const s of sets) {
      const result = await measureSet(store, s.name, s.queries, s.rounds);
      results.push(result);
      console.log(`  ${s.name}: ${s.queries.length} queries × ${s.rounds} rounds`);
      const line = (label: string, t: Timings) =>
        console.log(
          `    ${label.padEnd(36)} p50 ${ms(t.p50)} (${(t.p50 / result.baseline.p50).toFixed(2).padStart(5)}x)` +
            `   p95 ${ms(t.p95)} (${(t.p95 / result.baseline.p95).toFixed(2).padStart(5)}x)   max ${ms(t.max)}`,
        );
      line(`baseline: exhaustive ${engine}`, result.baseline);
      for (const mode of searchModes) line(`search, ${mode}`, result.modes[mode]);
    }
    return results;
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
  const { values } = parseArgs({
    options: { rounds: { type: "string", default: "5" }, questions: { type: "string", default: "100" } },
  });
  const database = loadConfig().database;
  await benchSearch(
    database.kind === "sqlite" ? `sqlite:${database.path}` : database.url,
    Number(values.rounds),
    Number(values.questions),
  );
}
