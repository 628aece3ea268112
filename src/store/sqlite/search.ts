import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type { KeywordPage, KeywordSearchDialect, KeywordSearchOptions, Phrase, TextQuery } from "../search.ts";
import { filterConditions, orderFor, whereAll } from "../search-conditions.ts";

// Words reach here as letters and digits only, so quoting each phrase is all FTS5 needs to
// read it as text and never as query syntax.
const quoted = (phrase: Phrase) => `"${phrase.join(" ").replaceAll('"', '""')}"`;

/** The FTS5 expression for what a result must (and may) contain, or null when nothing is asked. */
function positiveExpression(query: TextQuery): string | null {
  const parts = [
    ...(query.anyWords.length ? [`(${query.anyWords.map((w) => quoted([w])).join(" OR ")})`] : []),
    ...query.phrases.map(quoted),
    ...query.titlePhrases.map((p) => `title : ${quoted(p)}`),
    ...query.authors.map((p) => `author_names : ${quoted(p)}`),
  ];
  return parts.length ? parts.join(" AND ") : null;
}

/** Keyword search over the FTS5 index, ranked by bm25 with per-column weights. */
export class SqliteKeywordSearch implements KeywordSearchDialect {
  constructor(private readonly db: Kysely<Database>) {}

  async search(query: TextQuery, options: Required<KeywordSearchOptions>): Promise<KeywordPage> {
    const positive = positiveExpression(query);
    const negative = query.excluded.length ? `(${query.excluded.map(quoted).join(" OR ")})` : null;
    const conditions = filterConditions(query);
    let from: RawBuilder<unknown>;
    let score: RawBuilder<unknown>;
    if (positive) {
      const { title, abstract, authors } = options.weights;
      from = sql`papers_fts JOIN papers p ON p.pk = papers_fts.rowid`;
      conditions.unshift(sql`papers_fts MATCH ${negative ? `${positive} NOT ${negative}` : positive}`);
      // bm25() is lower-is-better; negated so every search scores higher-is-better.
      score = sql`-bm25(papers_fts, ${sql.lit(title)}, ${sql.lit(abstract)}, ${sql.lit(authors)})`;
    } else {
      from = sql`papers p`;
      if (negative) conditions.push(sql`p.pk NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${negative})`);
      score = sql`0`;
    }
    const where = whereAll(conditions);
    const sort = positive ? options.sort : options.sort === "relevance" ? "date" : options.sort;
    const rows = await sql<{ id: string; score: number }>`
      SELECT p.id, ${score} AS score FROM ${from} WHERE ${where}
      ORDER BY ${orderFor(sort)} LIMIT ${options.limit} OFFSET ${options.offset}`.execute(this.db);
    const counted = await sql<{ n: number }>`SELECT count(*) AS n FROM ${from} WHERE ${where}`.execute(this.db);
    return { hits: rows.rows, total: Number(counted.rows[0]?.n ?? 0) };
  }
}
