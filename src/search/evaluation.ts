import fs from "node:fs";
import path from "node:path";
import { readJsonLines } from "../ingest/file-source.ts";
import type { SourceItem } from "../ingest/run.ts";
import type { PaperRecord } from "../papers/record.ts";
import type { Store } from "../store/index.ts";
import { type SearchMode, type SearchOptions, search } from "./index.ts";

/** A retrieval benchmark: papers to store (in this order), questions, and which papers answer each. */
export interface Benchmark {
  name: string;
  /** The papers, as ingest sources read one after the other. */
  sources(): AsyncIterable<SourceItem>[];
  /** How many papers the sources hold, to tell a database that already holds them. */
  papers: number;
  queries: { id: string; text: string }[];
  /** Query id → relevant paper id (as stored) → grade. */
  judgments: Map<string, Map<string, number>>;
}

export const metrics = ["ndcg@10", "recall@5", "recall@20", "recall@100", "mrr@10"] as const;
export type Scores = Record<(typeof metrics)[number], number>;

/** Per mode: the scores averaged over the queries, and search latency. */
export interface ModeResult {
  scores: Scores;
  /** Milliseconds per search, median and 95th percentile. */
  p50: number;
  p95: number;
  /** Papers found per query, best first (for comparing runs). */
  rankings: Map<string, string[]>;
}

function readLines<T>(file: string): T[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

function requireFiles(what: string, files: string[]): void {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`${what} is missing: ${missing.join(", ")} not found (use --data DIR)`);
}

/** The arXiv-shaped id a SciFact document is stored under: its position, as 0000.00000, 0000.00001, … */
export function syntheticArxivId(position: number): string {
  return `${String(Math.floor(position / 100000)).padStart(4, "0")}.${String(position % 100000).padStart(5, "0")}`;
}

/** BEIR SciFact from a directory (corpus.jsonl, queries*.jsonl, qrels-*.tsv); split test or train. */
export function readSciFact(directory: string, split: "test" | "train"): Benchmark {
  const queriesFile = path.join(directory, split === "test" ? "queries.jsonl" : "queries-train.jsonl");
  const judgmentsFile = path.join(directory, `qrels-${split}.tsv`);
  requireFiles("SciFact", [path.join(directory, "corpus.jsonl"), queriesFile, judgmentsFile]);
  const documents = readLines<{ _id: string; title: string; text: string }>(path.join(directory, "corpus.jsonl"));
  const storedId = new Map(documents.map((d, position) => [d._id, syntheticArxivId(position)]));
  const judgments = new Map<string, Map<string, number>>();
  for (const line of fs.readFileSync(judgmentsFile, "utf8").split("\n").slice(1)) {
    const [query, document, grade] = line.trim().split("\t");
    const id = document ? storedId.get(document) : undefined;
    if (!query || !id) continue;
    const forQuery = judgments.get(query) ?? new Map<string, number>();
    forQuery.set(id, Number(grade ?? 1));
    judgments.set(query, forQuery);
  }
  async function* corpus(): AsyncGenerator<SourceItem> {
    for (const [position, d] of documents.entries()) {
      const record: PaperRecord = {
        id: syntheticArxivId(position),
        title: d.title,
        abstract: d.text,
        authors: [],
        categories: [],
        publishedAt: "2020-01-01T00:00:00.000Z",
      };
      yield {
        record,
        position: { where: `corpus.jsonl:${position + 1}`, done: position + 1, total: documents.length },
      };
    }
  }
  return {
    name: `SciFact ${split}`,
    sources: () => [corpus()],
    papers: documents.length,
    queries: readLines<{ _id: string; text: string }>(queriesFile)
      .filter((q) => judgments.has(q._id))
      .map((q) => ({ id: q._id, text: q.text })),
    judgments,
  };
}

/**
 * LitSearch-dev (../shared/data/litsearch-dev): literature-search questions whose gold papers sit
 * among the 74,728 papers of ../shared/data/arxiv, stored in that order as its README says.
 */
export function readLitSearch(directory: string, corpusFile: string): Benchmark {
  const questions = path.join(directory, "questions.jsonl");
  const gold = path.join(directory, "papers.jsonl");
  requireFiles("LitSearch-dev", [questions, gold]);
  requireFiles("The arXiv corpus LitSearch-dev is asked against", [corpusFile]);
  const rows = readLines<{ qid: string; text: string; gold: string[] }>(questions);
  return {
    name: "LitSearch-dev",
    sources: () => [readJsonLines(gold), readJsonLines(corpusFile)],
    papers: readLines(gold).length + 74728,
    queries: rows.map((q) => ({ id: q.qid, text: q.text })),
    judgments: new Map(rows.map((q) => [q.qid, new Map(q.gold.map((id) => [id, 1]))])),
  };
}

/** The metrics of one ranking against graded judgments (gain 2^grade - 1). */
export function scoreRanking(ranked: string[], relevant: Map<string, number>): Scores {
  const gain = (grade: number) => 2 ** grade - 1;
  const dcg = ranked.slice(0, 10).reduce((sum, id, i) => sum + gain(relevant.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((sum, grade, i) => sum + gain(grade) / Math.log2(i + 2), 0);
  const relevantCount = [...relevant.values()].filter((g) => g > 0).length;
  const recall = (k: number) =>
    relevantCount ? ranked.slice(0, k).filter((id) => (relevant.get(id) ?? 0) > 0).length / relevantCount : 0;
  const first = ranked.slice(0, 10).findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return {
    "ndcg@10": ideal > 0 ? dcg / ideal : 0,
    "recall@5": recall(5),
    "recall@20": recall(20),
    "recall@100": recall(100),
    "mrr@10": first >= 0 ? 1 / (first + 1) : 0,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;

/** Runs every query through the product's search in one mode, timing each, and averages the scores. */
export async function evaluateMode(
  store: Store,
  benchmark: Benchmark,
  mode: SearchMode,
  options: Omit<SearchOptions, "mode" | "limit"> = {},
): Promise<ModeResult> {
  const total = Object.fromEntries(metrics.map((m) => [m, 0])) as Scores;
  const times: number[] = [];
  const rankings = new Map<string, string[]>();
  for (const query of benchmark.queries) {
    const started = performance.now();
    const outcome = await search(store, query.text, { ...options, mode, limit: 100 });
    times.push(performance.now() - started);
    const ranked = outcome.kind === "results" ? outcome.hits.map((h) => h.paper.id) : [outcome.id];
    rankings.set(query.id, ranked);
    const scores = scoreRanking(ranked, benchmark.judgments.get(query.id) ?? new Map());
    for (const m of metrics) total[m] += scores[m];
  }
  const count = Math.max(1, benchmark.queries.length);
  for (const m of metrics) total[m] /= count;
  times.sort((a, b) => a - b);
  return { scores: total, p50: percentile(times, 0.5), p95: percentile(times, 0.95), rankings };
}
