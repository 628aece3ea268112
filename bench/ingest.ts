/**
 * Ingest speed against what the database engine does with the same rows when nothing else is in
 * the way: on SQLite, better-sqlite3 prepared INSERTs into Paperboy's own schema (its FTS5 index
 * kept by the same triggers); on PostgreSQL, COPY into tables of the same shape, generated search
 * column and indexes (`LIKE … INCLUDING ALL`, which leaves out Paperboy's triggers: keeping BM25
 * statistics and per-word lists is Paperboy's work, not the engine's). Only the engine's time is
 * counted for the baseline; `paperboy ingest file` is timed as a whole (reading, parsing, merging,
 * hashing, writing), run as a child process as an operator runs it.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { mergePaper } from "../src/papers/paper.ts";
import type { Store } from "../src/store/index.ts";
import { paperToRow } from "../src/store/paper-rows.ts";
import type { Corpus } from "./corpus.ts";
import { runPaperboy } from "./processes.ts";

/** The rows one paper becomes, as the raw baselines write them. */
interface RawRows {
  paper: ReturnType<typeof paperToRow>;
  authors: [string, number, string, string][];
  categories: [string, string, number, string][];
  feed: [string, string, string] | null;
}

async function* rawRows(file: string, atMost: number): AsyncGenerator<RawRows> {
  let read = 0;
  for await (const item of readJsonLines(file)) {
    if (!("record" in item)) continue;
    if (read++ >= atMost) return;
    const { record } = item;
    const paper = paperToRow(mergePaper(null, record));
    yield {
      paper,
      authors: (record.authors ?? []).map((a, i): [string, number, string, string] => [
        paper.id,
        i,
        a.name,
        paper.published_at,
      ]),
      categories: [...new Set(record.categories)].map((c, i): [string, string, number, string] => [
        paper.id,
        c,
        i,
        paper.published_at,
      ]),
      feed: record.feed ? [paper.id, record.feed.date, record.feed.source] : null,
    };
  }
}

async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Papers a second that bare prepared INSERTs store into an empty Paperboy SQLite database (the corpus's first `atMost`). */
export async function rawSqliteRate(store: Store, corpus: Corpus, atMost = Number.POSITIVE_INFINITY): Promise<number> {
  const db = store.connection.sqlite;
  if (!db) throw new Error("expected SQLite");
  let insertPaper: ReturnType<typeof db.prepare> | null = null;
  const insertAuthor = db.prepare(
    "INSERT INTO paper_authors (paper_id, position, name, published_at) VALUES (?, ?, ?, ?)",
  );
  const insertCategory = db.prepare(
    "INSERT INTO paper_categories (paper_id, category, position, published_at) VALUES (?, ?, ?, ?)",
  );
  const insertFeed = db.prepare("INSERT INTO feed_entries (paper_id, feed_date, source) VALUES (?, ?, ?)");
  let seconds = 0;
  let papers = 0;
  for await (const batch of batches(rawRows(corpus.file, atMost), 1000)) {
    const columns = Object.keys(batch[0]?.paper ?? {});
    insertPaper ??= db.prepare(
      `INSERT INTO papers (${columns.join(",")}) VALUES (${columns.map((c) => `@${c}`).join(",")})`,
    );
    const statement = insertPaper;
    const started = performance.now();
    db.transaction(() => {
      for (const rows of batch) {
        statement.run(rows.paper);
        for (const a of rows.authors) insertAuthor.run(...a);
        for (const c of rows.categories) insertCategory.run(...c);
        if (rows.feed) insertFeed.run(...rows.feed);
      }
    })();
    seconds += (performance.now() - started) / 1000;
    papers += batch.length;
  }
  return papers / seconds;
}

/** One value in COPY's text format. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  return String(value).replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] ?? c);
}

async function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  stream.end(rows.map((row) => `${row.map(copyValue).join("\t")}\n`).join(""));
  await done;
}

const rawTables = ["papers", "paper_authors", "paper_categories", "feed_entries"] as const;

/** Papers a second that COPY loads into tables shaped like Paperboy's (without its triggers), in this schema (the corpus's first `atMost`). */
export async function rawPostgresRate(
  store: Store,
  corpus: Corpus,
  atMost = Number.POSITIVE_INFINITY,
): Promise<number> {
  const pool = store.connection.pool;
  if (!pool) throw new Error("expected PostgreSQL");
  const db = store.connection.db;
  for (const table of rawTables)
    await sql`CREATE TABLE ${sql.id(`raw_${table}`)} (LIKE ${sql.id(table)} INCLUDING ALL)`.execute(db);
  const client = await pool.connect();
  let seconds = 0;
  let papers = 0;
  try {
    for await (const batch of batches(rawRows(corpus.file, atMost), 10_000)) {
      const columns = Object.keys(batch[0]?.paper ?? {});
      const started = performance.now();
      await client.query("BEGIN");
      await copyRows(
        client,
        "raw_papers",
        columns,
        batch.map((rows) => columns.map((c) => rows.paper[c as keyof typeof rows.paper])),
      );
      await copyRows(
        client,
        "raw_paper_authors",
        ["paper_id", "position", "name", "published_at"],
        batch.flatMap((r) => r.authors),
      );
      await copyRows(
        client,
        "raw_paper_categories",
        ["paper_id", "category", "position", "published_at"],
        batch.flatMap((r) => r.categories),
      );
      await copyRows(
        client,
        "raw_feed_entries",
        ["paper_id", "feed_date", "source"],
        batch.flatMap((r) => (r.feed ? [r.feed] : [])),
      );
      await client.query("COMMIT");
      seconds += (performance.now() - started) / 1000;
      papers += batch.length;
    }
  } finally {
    client.release();
  }
  return papers / seconds;
}

/** Bytes the database takes on disk: a SQLite file with its WAL, or the schema's relations (raw_ ones apart). */
export async function databaseBytes(store: Store, which: "paperboy" | "raw" = "paperboy"): Promise<number> {
  const sqlite = store.connection.sqlite;
  if (sqlite) {
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const file = sqlite.name;
    return fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
  }
  const { rows } = await sql<{ bytes: number }>`
    SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')
      AND (c.relname LIKE 'raw\\_%') = ${which === "raw"}`.execute(store.connection.db);
  return Number(rows[0]?.bytes ?? 0);
}

export interface PaperboyIngest {
  rate: number;
  seconds: number;
  peakRssBytes: number;
}

/** The rate `paperboy ingest file` reports when it finishes (its own clock: reading through storing). */
function reportedRate(stderr: string): number | null {
  const match = /finished, .* ([\d,]+) papers\/s/.exec(stderr);
  return match?.[1] ? Number(match[1].replaceAll(",", "")) : null;
}

/**
 * Runs `paperboy ingest file` on the corpus. Its progress lines go to `log` with the seconds since
 * start, so a long run shows how the rate changes as the database grows.
 */
export async function paperboyIngest(corpus: Corpus, url: string, log?: string): Promise<PaperboyIngest> {
  const started = Date.now();
  const logStream = log ? fs.createWriteStream(log, { flags: "a" }) : null;
  logStream?.write(`# paperboy ingest file ${path.basename(corpus.file)} into ${url.replace(/\/\/[^@]*@/, "//")}\n`);
  try {
    const run = await runPaperboy(
      ["ingest", "file", corpus.file],
      { DATABASE_URL: url, PAPERBOY_LOG_LEVEL: "warn" },
      (line) => logStream?.write(`${((Date.now() - started) / 1000).toFixed(1)}s ${line}\n`),
    );
    return {
      rate: reportedRate(run.stderr) ?? corpus.papers / run.seconds,
      seconds: run.seconds,
      peakRssBytes: run.peakRssBytes,
    };
  } finally {
    logStream?.end();
  }
}
