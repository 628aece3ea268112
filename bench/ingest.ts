/**
 * Ingest speed against a baseline measured in the same run: the same rows written by bare
 * better-sqlite3 prepared statements (no parsing, merging or hashing), into the same schema
 * with its FTS triggers and indexes. Reads ../shared/data/arxiv/papers.jsonl.gz.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { parseDatabaseUrl } from "../src/config/index.ts";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { mergePaper } from "../src/papers/paper.ts";
import type { PaperRecord } from "../src/papers/record.ts";
import { Store } from "../src/store/index.ts";
import { paperToRow } from "../src/store/paper-rows.ts";

const corpus = path.resolve(import.meta.dirname, "../../shared/data/arxiv/papers.jsonl.gz");

async function sliceCorpus(limit: number, file: string): Promise<void> {
  if (!fs.existsSync(corpus)) throw new Error(`benchmark corpus missing: ${corpus} (the shared arXiv data set)`);
  const lines: string[] = [];
  const input = fs.createReadStream(corpus).pipe(createGunzip());
  let rest = "";
  for await (const chunk of input) {
    const parts = (rest + chunk.toString()).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
    if (lines.length >= limit) break;
  }
  input.destroy();
  fs.writeFileSync(file, `${lines.slice(0, limit).join("\n")}\n`);
}

async function rawSqliteInsert(file: string, dbFile: string): Promise<number> {
  const records: PaperRecord[] = [];
  for await (const item of readJsonLines(file)) if ("record" in item) records.push(item.record);
  const rows = records.map((record) => ({ record, row: paperToRow(mergePaper(null, record)) }));
  const store = await Store.open(parseDatabaseUrl(`sqlite:${dbFile}`));
  const db = store.connection.sqlite;
  if (!db) throw new Error("expected SQLite");
  const columns = Object.keys(rows[0]?.row ?? {});
  const insertPaper = db.prepare(
    `INSERT INTO papers (${columns.join(",")}) VALUES (${columns.map((c) => `@${c}`).join(",")})`,
  );
  const insertAuthor = db.prepare("INSERT INTO paper_authors (paper_id, position, name) VALUES (?, ?, ?)");
  const insertCategory = db.prepare("INSERT INTO paper_categories (paper_id, category, position) VALUES (?, ?, ?)");
  const insertFeed = db.prepare("INSERT INTO feed_entries (paper_id, feed_date, source) VALUES (?, ?, ?)");
  const writeBatch = db.transaction((batch: typeof rows) => {
    for (const { record, row } of batch) {
      insertPaper.run(row);
      for (const [i, a] of (record.authors ?? []).entries()) insertAuthor.run(row.id, i, a.name);
      for (const [i, c] of [...new Set(record.categories)].entries()) insertCategory.run(row.id, c, i);
      if (record.feed) insertFeed.run(row.id, record.feed.date, record.feed.source);
    }
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) writeBatch(rows.slice(i, i + 1000));
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return rows.length / seconds;
}

async function paperboyIngest(file: string, url: string): Promise<{ rate: number; rerunRate: number }> {
  const store = await Store.open(parseDatabaseUrl(url));
  try {
    let started = performance.now();
    const first = await ingest(store, readJsonLines(file));
    const rate = first.inserted / ((performance.now() - started) / 1000);
    started = performance.now();
    const second = await ingest(store, readJsonLines(file));
    const rerunRate = second.unchanged / ((performance.now() - started) / 1000);
    return { rate, rerunRate };
  } finally {
    await store.close();
  }
}

export async function benchIngest(papers: number, postgresUrl?: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-bench-"));
  try {
    const file = path.join(dir, "slice.jsonl");
    await sliceCorpus(papers, file);
    const baseline = await rawSqliteInsert(file, path.join(dir, "raw.db"));
    const sqlite = await paperboyIngest(file, `sqlite:${path.join(dir, "paperboy.db")}`);
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(8);
    console.log(`ingest, ${papers.toLocaleString("en-US")} papers (papers/s; ratio to the raw baseline)`);
    console.log(`  baseline: bare prepared INSERTs, SQLite  ${fmt(baseline)}`);
    console.log(
      `  paperboy ingest file, SQLite             ${fmt(sqlite.rate)}  ${(sqlite.rate / baseline).toFixed(2)}x`,
    );
    console.log(
      `  re-ingest (all unchanged), SQLite        ${fmt(sqlite.rerunRate)}  ${(sqlite.rerunRate / baseline).toFixed(2)}x`,
    );
    if (postgresUrl) {
      const pg = await paperboyIngest(file, postgresUrl);
      console.log(`  paperboy ingest file, PostgreSQL         ${fmt(pg.rate)}  ${(pg.rate / baseline).toFixed(2)}x`);
      console.log(
        `  re-ingest (all unchanged), PostgreSQL    ${fmt(pg.rerunRate)}  ${(pg.rerunRate / baseline).toFixed(2)}x`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
