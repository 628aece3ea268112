import { type RawBuilder, sql, type Transaction } from "kysely";
import type { ChangedPaper, FeedPut, FeedRemoval } from "../papers.ts";
import type { Database } from "../schema.ts";

type PaperWriteRow = Required<ChangedPaper["row"]>;

/**
 * Each written column's type, for its array. Typed over the row's keys, so a column added to the
 * rows an ingest writes must be named here too.
 */
const paperColumnTypes: { [Column in keyof PaperWriteRow]: "text" | "integer" | "double precision" } = {
  id: "text",
  version: "integer",
  versions: "text",
  title: "text",
  abstract: "text",
  authors: "text",
  author_names: "text",
  categories: "text",
  primary_category: "text",
  comment: "text",
  journal_ref: "text",
  doi: "text",
  license: "text",
  submitter: "text",
  published_at: "text",
  updated_at: "text",
  github_repo: "text",
  project_page: "text",
  upvotes: "integer",
  num_comments: "integer",
  trending_score: "double precision",
  hf_meta: "text",
  content_hash: "text",
};
const paperColumns = Object.keys(paperColumnTypes) as (keyof PaperWriteRow)[];

/** Rows one statement takes at most, which bounds the size of its arrays. */
const ROWS_AT_MOST = 10000;

function inParts<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS_AT_MOST) parts.push(items.slice(i, i + ROWS_AT_MOST));
  return parts;
}

/** One column of `rows` as a single array parameter, for unnest. */
function array<T>(rows: T[], value: (row: T) => unknown, type: string): RawBuilder<unknown> {
  return sql`${rows.map((row) => value(row) ?? null)}::${sql.raw(type)}[]`;
}

/**
 * Writes an ingest batch on PostgreSQL inside the caller's transaction: every table's rows go in
 * as one array per column (`unnest`), so a batch is a handful of statements of a few parameters
 * each whatever its size. Rows as multi-row VALUES made each statement thousands of parameters
 * that Kysely compiled and PostgreSQL parsed anew for every batch. The statements, and so their
 * triggers and the locks they take, are those of row-by-row writes, in the same order.
 */
export async function writePaperBatch(
  trx: Transaction<Database>,
  changed: ChangedPaper[],
  feedRemovals: FeedRemoval[],
  feedPuts: FeedPut[],
): Promise<void> {
  for (const part of inParts(changed)) await writePapers(trx, part);
  for (const part of inParts(feedRemovals)) {
    await sql`DELETE FROM feed_entries f
      USING unnest(${array(part, (r) => r.paper_id, "text")}, ${array(part, (r) => r.feed_date, "text")})
        AS gone (paper_id, feed_date)
      WHERE f.paper_id = gone.paper_id AND f.feed_date = gone.feed_date`.execute(trx);
  }
  for (const part of inParts(feedPuts)) {
    await sql`INSERT INTO feed_entries (paper_id, feed_date, source, submitted_by)
      SELECT * FROM unnest(${array(part, (p) => p.paper_id, "text")}, ${array(part, (p) => p.feed_date, "text")},
        ${array(part, (p) => p.source, "text")}, ${array(part, (p) => p.submitted_by, "text")})
      ON CONFLICT (feed_date, paper_id)
        DO UPDATE SET source = excluded.source, submitted_by = excluded.submitted_by`.execute(trx);
  }
}

async function writePapers(trx: Transaction<Database>, changed: ChangedPaper[]): Promise<void> {
  if (changed.length === 0) return;
  const rows = changed.map((c) => c.row as PaperWriteRow);
  const names = sql.join(paperColumns.map((c) => sql.id(c)));
  const arrays = sql.join(paperColumns.map((c) => array(rows, (r) => r[c], paperColumnTypes[c])));
  const updates = sql.join(
    paperColumns.filter((c) => c !== "id").map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`),
  );
  await sql`INSERT INTO papers (${names}) SELECT * FROM unnest(${arrays})
    ON CONFLICT (id) DO UPDATE SET ${updates}`.execute(trx);

  const ids = changed.map((c) => c.paper.id);
  await sql`DELETE FROM paper_authors WHERE paper_id = ANY(${array(ids, (id) => id, "text")})`.execute(trx);
  await sql`DELETE FROM paper_categories WHERE paper_id = ANY(${array(ids, (id) => id, "text")})`.execute(trx);
  const authors = changed.flatMap(({ paper, row }) =>
    paper.authors.map((a, position) => ({
      paper_id: paper.id,
      position,
      name: a.name,
      published_at: row.published_at,
    })),
  );
  for (const part of inParts(authors)) {
    await sql`INSERT INTO paper_authors (paper_id, position, name, published_at)
      SELECT * FROM unnest(${array(part, (a) => a.paper_id, "text")}, ${array(part, (a) => a.position, "integer")},
        ${array(part, (a) => a.name, "text")}, ${array(part, (a) => a.published_at, "text")})`.execute(trx);
  }
  const categories = changed.flatMap(({ paper, row }) =>
    [...new Set(paper.categories)].map((category, position) => ({
      paper_id: paper.id,
      category,
      position,
      published_at: row.published_at,
    })),
  );
  for (const part of inParts(categories)) {
    await sql`INSERT INTO paper_categories (paper_id, category, position, published_at)
      SELECT * FROM unnest(${array(part, (c) => c.paper_id, "text")}, ${array(part, (c) => c.category, "text")},
        ${array(part, (c) => c.position, "integer")}, ${array(part, (c) => c.published_at, "text")})`.execute(trx);
  }
}
