import { type Kysely, sql } from "kysely";
import { addPaperColumns } from "../paper-columns.ts";

/**
 * A paper's weighted search document: title A, authors B, abstract C. Author names are not
 * stemmed. Generated columns cannot read one another, so every column derived from the document
 * computes it from this same expression.
 */
export const searchDocument = sql`
  setweight(to_tsvector('english', title), 'A') ||
  setweight(to_tsvector('simple', author_names), 'B') ||
  setweight(to_tsvector('english', abstract), 'C')`;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function postgresPaperTable(db: Kysely<any>): Promise<void> {
  await addPaperColumns(
    db.schema.createTable("papers").addColumn("pk", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity()),
  ).execute();

  await sql`ALTER TABLE papers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${searchDocument}) STORED`.execute(
    db,
  );
  await sql`CREATE INDEX papers_search_vector ON papers USING gin (search_vector)`.execute(db);
}
