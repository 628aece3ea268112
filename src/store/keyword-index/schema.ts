import { type Kysely, sql } from "kysely";
import type { DatabaseKind } from "../connection.ts";

/** The keyword index's tables as Kysely sees them (see docs/search-quality.md for the design). */
export type SearchIndexTables = {
  /** A set of papers indexed together; merged with others of its level as they accumulate. */
  search_segments: { id: number; level: number; average_length: number };
  /**
   * One block of a term's postings in one segment. Keyed by segment first, so a new segment's
   * rows are appended in key order and a merge reads its segments' rows in sequence.
   */
  search_postings: {
    term: string;
    segment: number;
    first_pk: number;
    last_pk: number;
    count: number;
    max_weight: number;
    data: Uint8Array;
  };
  /** The segment holding each indexed paper's current postings, and its length. */
  search_documents: { pk: number; segment: number; length: number };
  /** Postings no longer true (the paper was deleted or indexed again elsewhere) until a merge drops them. */
  search_dead: { segment: number; pk: number };
  /** Papers indexed and their words in all: bm25's N and average length. One row. */
  search_totals: { only_row: number; papers: number; words: number };
  /** Papers written since they were last indexed: added, text changed, or deleted. */
  search_pending: { pk: number };
};

/**
 * Migration 015: the keyword index's tables, and triggers that queue every paper whose text is
 * written (by Paperboy or anything else) for indexing. Papers already there are queued too;
 * the indexer builds their postings the next time it runs.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function keywordIndexTables(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  const blob = kind === "sqlite" ? sql`BLOB` : sql`bytea`;
  const real = kind === "sqlite" ? sql`REAL` : sql`double precision`;
  const big = kind === "sqlite" ? sql`INTEGER` : sql`bigint`;
  const withoutRowid = kind === "sqlite" ? sql`WITHOUT ROWID` : sql``;
  await sql`CREATE TABLE search_segments (
    id integer PRIMARY KEY, level integer NOT NULL, average_length ${real} NOT NULL)`.execute(db);
  await sql`CREATE TABLE search_postings (
    term text NOT NULL,
    segment integer NOT NULL,
    first_pk integer NOT NULL,
    last_pk integer NOT NULL,
    count integer NOT NULL,
    max_weight ${real} NOT NULL,
    data ${blob} NOT NULL,
    PRIMARY KEY (segment, term, first_pk)
  ) ${withoutRowid}`.execute(db);
  await sql`CREATE TABLE search_documents (
    pk integer PRIMARY KEY, segment integer NOT NULL, length integer NOT NULL)`.execute(db);
  await sql`CREATE INDEX search_documents_segment ON search_documents (segment)`.execute(db);
  await sql`CREATE TABLE search_dead (
    segment integer NOT NULL, pk integer NOT NULL, PRIMARY KEY (segment, pk)) ${withoutRowid}`.execute(db);
  await sql`CREATE TABLE search_totals (
    only_row integer PRIMARY KEY CHECK (only_row = 1), papers ${big} NOT NULL, words ${big} NOT NULL)`.execute(db);
  await sql`INSERT INTO search_totals (only_row, papers, words) VALUES (1, 0, 0)`.execute(db);
  await sql`CREATE TABLE search_pending (pk integer PRIMARY KEY)`.execute(db);

  if (kind === "sqlite") {
    const changed = sql`old.title IS NOT new.title OR old.abstract IS NOT new.abstract
      OR old.author_names IS NOT new.author_names`;
    await sql`CREATE TRIGGER search_pending_insert AFTER INSERT ON papers BEGIN
      INSERT INTO search_pending (pk) VALUES (new.pk) ON CONFLICT DO NOTHING;
    END`.execute(db);
    await sql`CREATE TRIGGER search_pending_update AFTER UPDATE OF title, abstract, author_names ON papers
      WHEN ${changed} BEGIN
      INSERT INTO search_pending (pk) VALUES (new.pk) ON CONFLICT DO NOTHING;
    END`.execute(db);
    await sql`CREATE TRIGGER search_pending_delete AFTER DELETE ON papers BEGIN
      INSERT INTO search_pending (pk) VALUES (old.pk) ON CONFLICT DO NOTHING;
    END`.execute(db);
  } else {
    // Statement-level, with the rows each statement changed: one insert per statement.
    await sql`CREATE FUNCTION search_pending_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO search_pending (pk) SELECT pk FROM new_papers ON CONFLICT DO NOTHING;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO search_pending (pk) SELECT pk FROM old_papers ON CONFLICT DO NOTHING;
        ELSE
          INSERT INTO search_pending (pk)
            SELECT n.pk FROM new_papers n JOIN old_papers o USING (pk)
            WHERE n.title IS DISTINCT FROM o.title OR n.abstract IS DISTINCT FROM o.abstract
               OR n.author_names IS DISTINCT FROM o.author_names
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    const run = sql`FOR EACH STATEMENT EXECUTE FUNCTION search_pending_track()`;
    await sql`CREATE TRIGGER search_pending_insert AFTER INSERT ON papers
      REFERENCING NEW TABLE AS new_papers ${run}`.execute(db);
    await sql`CREATE TRIGGER search_pending_update AFTER UPDATE ON papers
      REFERENCING OLD TABLE AS old_papers NEW TABLE AS new_papers ${run}`.execute(db);
    await sql`CREATE TRIGGER search_pending_delete AFTER DELETE ON papers
      REFERENCING OLD TABLE AS old_papers ${run}`.execute(db);
  }
  await sql`INSERT INTO search_pending (pk) SELECT pk FROM papers`.execute(db);
}

/**
 * Migration 016 (PostgreSQL): bm25's statistics tables and the per-word lists of top papers,
 * with the triggers that kept them on every write, make way for the keyword index.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function dropPostgresBm25Tables(db: Kysely<any>): Promise<void> {
  for (const name of ["search_top_papers", "search_statistics"]) {
    for (const event of ["insert", "update", "delete"]) {
      await sql`DROP TRIGGER IF EXISTS ${sql.id(`${name}_${event}`)} ON papers`.execute(db);
    }
    await sql`DROP FUNCTION IF EXISTS ${sql.id(`${name}_track`)}()`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS search_top_papers_apply(int[], int[])`.execute(db);
  await sql`DROP FUNCTION IF EXISTS search_statistics_apply(tsvector[], tsvector[])`.execute(db);
  await sql`DROP VIEW IF EXISTS search_word_weights`.execute(db);
  await sql`DROP TABLE IF EXISTS search_top_papers`.execute(db);
  await sql`DROP TABLE IF EXISTS search_lexicon`.execute(db);
  await sql`DROP TABLE IF EXISTS search_corpus`.execute(db);
  await sql`ALTER TABLE papers DROP COLUMN IF EXISTS search_length`.execute(db);
  for (const fn of [
    "search_tokens(tsvector)",
    "search_occurrences(float4[], tsvector, tsquery)",
    "search_weighted_occurrences(smallint[], text[])",
    "search_any_word(text[])",
  ]) {
    await sql`DROP FUNCTION IF EXISTS ${sql.raw(fn)}`.execute(db);
  }
}
