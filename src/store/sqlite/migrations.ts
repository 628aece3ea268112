import { type Kysely, sql } from "kysely";
import { addPaperColumns } from "../paper-columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function sqlitePaperTable(db: Kysely<any>): Promise<void> {
  // INTEGER PRIMARY KEY makes pk the rowid itself, so VACUUM never renumbers it under the FTS index.
  await addPaperColumns(db.schema.createTable("papers").addColumn("pk", "integer", (c) => c.primaryKey())).execute();

  // External-content FTS5 index: the text stays in papers, the index is kept in step by triggers,
  // so every write path (ingest, edits, upserts) updates it inside the same transaction.
  await sql`CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, abstract, author_names,
    content='papers', content_rowid='pk',
    tokenize='porter unicode61 remove_diacritics 2'
  )`.execute(db);
  await sql`CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts(rowid, title, abstract, author_names) VALUES (new.pk, new.title, new.abstract, new.author_names);
  END`.execute(db);
  await sql`CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
    INSERT INTO papers_fts(papers_fts, rowid, title, abstract, author_names) VALUES ('delete', old.pk, old.title, old.abstract, old.author_names);
  END`.execute(db);
  await sql`CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, author_names ON papers BEGIN
    INSERT INTO papers_fts(papers_fts, rowid, title, abstract, author_names) VALUES ('delete', old.pk, old.title, old.abstract, old.author_names);
    INSERT INTO papers_fts(rowid, title, abstract, author_names) VALUES (new.pk, new.title, new.abstract, new.author_names);
  END`.execute(db);
}

/**
 * Migration 009: the triggers that keep the FTS index and the vectors in step with a paper's
 * text fire only when that text changed. `AFTER UPDATE OF` alone fires whenever an UPDATE names
 * the columns, as every upsert does, so a new upvote count dropped the paper's vector and
 * rewrote its index row. The vector trigger exists once `paperboy embed` has made the table.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function sqliteTextChangeTriggers(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER papers_fts_update`.execute(db);
  await sql`CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, author_names ON papers
    WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.author_names IS NOT new.author_names
  BEGIN
    INSERT INTO papers_fts(papers_fts, rowid, title, abstract, author_names) VALUES ('delete', old.pk, old.title, old.abstract, old.author_names);
    INSERT INTO papers_fts(rowid, title, abstract, author_names) VALUES (new.pk, new.title, new.abstract, new.author_names);
  END`.execute(db);
  const { rows } =
    await sql`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'paper_vectors_stale'`.execute(db);
  if (rows.length === 0) return;
  await sql`DROP TRIGGER paper_vectors_stale`.execute(db);
  await sql`CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, abstract ON papers
    WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract
  BEGIN
    DELETE FROM paper_vectors WHERE rowid = old.pk;
  END`.execute(db);
}
