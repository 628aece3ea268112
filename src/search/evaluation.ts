import fs from "node:fs";
import path from "node:path";
import type { SourceItem } from "../ingest/run.ts";
import type { PaperRecord } from "../papers/record.ts";
import type { Store } from "../store/index.ts";
import { type SearchMode, search } from "./index.ts";

/** A BEIR-format retrieval benchmark: documents, queries, and which documents answer each query. */
export interface Benchmark {
  documents: { id: string; title: string; text: string }[];
  queries: { id: string; text: string }[];
  /** Query id → relevant document id → grade. */
  judgments: Map<string, Map<string, number>>;
}

export interface Scores {
  "ndcg@10": number;
  "recall@100": number;
  "mrr@10": number;
}

function readJsonLines<T>(file: string): T[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/** Reads BEIR SciFact from a directory (corpus.jsonl, queries*.jsonl, qrels-*.tsv); split test or train. */
export function readSciFact(directory: string, split: "test" | "train"): Benchmark {
  const queriesFile = path.join(directory, split === "test" ? "queries.jsonl" : "queries-train.jsonl");
  const judgmentsFile = path.join(directory, `qrels-${split}.tsv`);
  for (const file of [path.join(directory, "corpus.jsonl"), queriesFile, judgmentsFile]) {
    if (!fs.existsSync(file)) throw new Error(`SciFact is missing: ${file} does not exist (use --data DIR)`);
  }
  const judgments = new Map<string, Map<string, number>>();
  for (const line of fs.readFileSync(judgmentsFile, "utf8").split("\n").slice(1)) {
    const [query, document, grade] = line.trim().split("\t");
    if (!query || !document) continue;
    const forQuery = judgments.get(query) ?? new Map<string, number>();
    forQuery.set(document, Number(grade ?? 1));
    judgments.set(query, forQuery);
  }
  return {
    documents: readJsonLines<{ _id: string; title: string; text: string }>(path.join(directory, "corpus.jsonl")).map(
      (d) => ({ id: d._id, title: d.title, text: d.text }),
    ),
    queries: readJsonLines<{ _id: string; text: string }>(queriesFile)
      .filter((q) => judgments.has(q._id))
      .map((q) => ({ id: q._id, text: q.text })),
    judgments,
  };
}

/** The arXiv-shaped id a benchmark document is stored under: its position, as 0000.00000, 0000.00001, … */
export function syntheticArxivId(position: number): string {
  return `${String(Math.floor(position / 100000)).padStart(4, "0")}.${String(position % 100000).padStart(5, "0")}`;
}

/** The benchmark's documents as an ingest source, so they are stored exactly as papers are. */
export async function* benchmarkSource(benchmark: Benchmark): AsyncGenerator<SourceItem> {
  for (const [position, document] of benchmark.documents.entries()) {
    const record: PaperRecord = {
      id: syntheticArxivId(position),
      title: document.title,
      abstract: document.text,
      authors: [],
      categories: [],
      publishedAt: "2020-01-01T00:00:00.000Z",
    };
    yield {
      record,
      position: { where: `corpus.jsonl:${position + 1}`, done: position + 1, total: benchmark.documents.length },
    };
  }
}

/** nDCG@k, recall@k and reciprocal rank@k of one ranking against graded judgments. */
export function scoreRanking(ranked: string[], relevant: Map<string, number>): Scores {
  const gain = (grade: number) => 2 ** grade - 1;
  const dcg = ranked.slice(0, 10).reduce((sum, id, i) => sum + gain(relevant.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((sum, grade, i) => sum + gain(grade) / Math.log2(i + 2), 0);
  const found = ranked.slice(0, 100).filter((id) => (relevant.get(id) ?? 0) > 0).length;
  const first = ranked.slice(0, 10).findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return {
    "ndcg@10": ideal > 0 ? dcg / ideal : 0,
    "recall@100": relevant.size ? found / [...relevant.values()].filter((g) => g > 0).length : 0,
    "mrr@10": first >= 0 ? 1 / (first + 1) : 0,
  };
}

/** Runs every query through the product's search in one mode and averages the scores. */
export async function evaluateMode(
  store: Store,
  benchmark: Benchmark,
  mode: SearchMode,
  options: { keywordWeight?: number } = {},
): Promise<Scores> {
  const documentId = new Map(benchmark.documents.map((d, position) => [syntheticArxivId(position), d.id]));
  const total: Scores = { "ndcg@10": 0, "recall@100": 0, "mrr@10": 0 };
  for (const query of benchmark.queries) {
    const outcome = await search(store, query.text, { mode, limit: 100, keywordWeight: options.keywordWeight });
    const ranked = outcome.kind === "results" ? outcome.hits.map((h) => documentId.get(h.paper.id) ?? "") : [];
    const scores = scoreRanking(ranked, benchmark.judgments.get(query.id) ?? new Map());
    for (const key of Object.keys(total) as (keyof Scores)[]) total[key] += scores[key];
  }
  const count = Math.max(1, benchmark.queries.length);
  return {
    "ndcg@10": total["ndcg@10"] / count,
    "recall@100": total["recall@100"] / count,
    "mrr@10": total["mrr@10"] / count,
  };
}
