/**
 * Search latency (p50, p95, p99) of keyword and hybrid search, for short topic queries and for
 * questions in plain English, each against the raw engine ranking the same query's words
 * exhaustively: every paper with any of them scored by FTS5's bm25 (title 3, abstract 1, authors
 * 1) on SQLite, by ts_rank over the weighted tsvector on PostgreSQL, best 20 read back. That is
 * the least an exact ranking without an index designed for it must do.
 *
 * Topic queries are bench/search-latency.ts's reader-like set. Questions are LitSearch's (from the
 * shared data; when bench/search-latency.ts gains its own LitSearch questions, take them from there).
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { type SearchMode, search } from "../src/search/index.ts";
import { parseQuery } from "../src/search/query.ts";
import type { Store } from "../src/store/index.ts";
import { sharedDataDir } from "./corpus.ts";
import { quantile, type Report } from "./report.ts";
import { timeQueries, topics as topicQueries } from "./search-latency.ts";

/** LitSearch's questions, or none (said on stderr) when the shared data is missing. */
export function questions(limit: number): string[] {
  const dir = sharedDataDir();
  const file = dir ? path.join(dir, "litsearch-dev", "questions.jsonl") : null;
  if (!file || !fs.existsSync(file)) {
    process.stderr.write(
      "bench: LitSearch questions missing (shared/data/litsearch-dev/questions.jsonl; set PAPERBOY_SHARED_DATA): question latency is not measured\n",
    );
    return [];
  }
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .slice(0, limit)
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

/** The raw engine's exhaustive ranking of a query's free words, best 20 with their titles. */
function rawRanking(store: Store): (query: string) => Promise<unknown> | unknown {
  const words = (q: string) => parseQuery(q).query.anyWords;
  const sqlite = store.connection.sqlite;
  if (sqlite) {
    const ranked = sqlite.prepare(`
      SELECT p.id, p.title FROM (
        SELECT rowid, bm25(papers_fts, 3.0, 1.0, 1.0) AS score FROM papers_fts WHERE papers_fts MATCH ?
        ORDER BY score LIMIT 20) r
      JOIN papers p ON p.pk = r.rowid ORDER BY r.score`);
    return (q) =>
      words(q).length
        ? ranked.all(
            words(q)
              .map((w) => `"${w}"`)
              .join(" OR "),
          )
        : [];
  }
  return (q) =>
    words(q).length
      ? sql`SELECT id, title FROM papers, to_tsquery('english', ${words(q).join(" | ")}) q
            WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) DESC LIMIT 20`.execute(store.connection.db)
      : [];
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

/** Each query once to warm caches, then `rounds` timed passes. */
async function latency(
  list: string[],
  rounds: number,
  run: (q: string) => Promise<unknown> | unknown,
): Promise<Latency> {
  const times = await timeQueries(list, rounds, run);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99) };
}

export async function benchSearchLatency(
  report: Report,
  store: Store,
  options: { rounds: number; questions: string[] },
): Promise<void> {
  const raw = store.connection.sqlite ? "raw FTS5 bm25, every match" : "raw ts_rank, every match";
  const sets: [string, string[], number | undefined][] = [
    [`${topicQueries.length} topic queries`, topicQueries, 1.5],
    [`${options.questions.length} questions`, options.questions, undefined],
  ];
  for (const [label, list, goal] of sets) {
    if (list.length === 0) continue;
    const baseline = await latency(list, options.rounds, rawRanking(store));
    for (const mode of ["keyword", "hybrid"] as SearchMode[]) {
      const measured = await latency(list, options.rounds, (q) => search(store, q, { mode, limit: 20 }));
      for (const p of ["p50", "p95", "p99"] as const) {
        report.lower(
          `search, ${label}`,
          `${mode} ${p}`,
          measured[p],
          "ms",
          { name: `${raw} ${p}`, value: baseline[p] },
          mode === "keyword" && p === "p95" ? goal : undefined,
        );
      }
    }
  }
}
