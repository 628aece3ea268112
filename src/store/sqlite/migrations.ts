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
