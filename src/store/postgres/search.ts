import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type {
  FieldWeights,
  KeywordPage,
  KeywordSearchDialect,
  KeywordSearchOptions,
  Phrase,
  TextQuery,
} from "../search.ts";
import { filterConditions, orderFor, whereAll } from "../search-conditions.ts";

const word = (w: string) => sql`plainto_tsquery('english', ${w})`;
const phrase = (p: Phrase) => sql`phraseto_tsquery('english', ${p.join(" ")})`;

/**
 * A phrase that must sit in one weighted part of search_vector (A title, B authors). PostgreSQL
 * has no function to label a tsquery with a weight, so the parsed query is relabelled as text:
 * phraseto_tsquery keeps the stop-word gaps (`'attent' <4> 'need'`) that a hand-built one would lose.
 */
function weightedPhrase(p: Phrase, config: "english" | "simple", weight: "A" | "B"): RawBuilder<unknown> {
  const parsed = sql`phraseto_tsquery(${sql.lit(config)}, ${p.join(" ")})::text`;
  return sql`to_tsquery('simple', regexp_replace(${parsed}, '''([^'']+)''', ${`'\\1':${weight}`}, 'g'))`;
}

const anyOf = (queries: RawBuilder<unknown>[]) => sql`(${sql.join(queries, sql` || `)})`;
const allOf = (queries: RawBuilder<unknown>[]) => sql`(${sql.join(queries, sql` && `)})`;

/** ts_rank's weights are listed {D, C, B, A} and must lie in [0, 1]. */
function rankWeights({ title, abstract, authors }: FieldWeights): RawBuilder<unknown> {
  const top = Math.max(title, abstract, authors);
  return sql`${sql.lit(`{0,${abstract / top},${authors / top},${title / top}}`)}::float4[]`;
}

/** Okapi idf: ts_rank knows nothing of how rare a word is, so each word's rank is scaled by this. */
const idf = (papers: number, matching: number) => Math.log(1 + (papers - matching + 0.5) / (matching + 0.5));

/**
 * Keyword search over the weighted tsvector (GIN-indexed). Ranked as a sum over the query's
 * words of idf × ts_rank, which behaves like bm25 with field weights: plain ts_rank_cd over an
 * OR query would rank a paper full of common words above one with the single rare word asked for.
 */
export class PostgresKeywordSearch implements KeywordSearchDialect {
  constructor(private readonly db: Kysely<Database>) {}

  async search(query: TextQuery, options: Required<KeywordSearchOptions>): Promise<KeywordPage> {
    const required = [
      ...(query.anyWords.length ? [anyOf(query.anyWords.map(word))] : []),
      ...query.phrases.map(phrase),
      ...query.titlePhrases.map((p) => weightedPhrase(p, "english", "A")),
      ...query.authors.map((p) => weightedPhrase(p, "simple", "B")),
    ];
    const conditions = filterConditions(query);
    if (required.length) conditions.unshift(sql`p.search_vector @@ ${allOf(required)}`);
    if (query.excluded.length) conditions.push(sql`NOT (p.search_vector @@ ${anyOf(query.excluded.map(phrase))})`);
    const where = whereAll(conditions);

    const score = required.length ? await this.scoreExpression(query, required, options.weights) : sql`0`;
    const sort = required.length ? options.sort : options.sort === "relevance" ? "date" : options.sort;
    const rows = await sql<{ id: string; score: number }>`
      SELECT p.id, ${score} AS score FROM papers p WHERE ${where}
      ORDER BY ${orderFor(sort)} LIMIT ${options.limit} OFFSET ${options.offset}`.execute(this.db);
    const counted = await sql<{ n: number }>`SELECT count(*) AS n FROM papers p WHERE ${where}`.execute(this.db);
    return {
      hits: rows.rows.map((r) => ({ id: r.id, score: Number(r.score) })),
      total: Number(counted.rows[0]?.n ?? 0),
    };
  }

  private async scoreExpression(
    query: TextQuery,
    required: RawBuilder<unknown>[],
    weights: FieldWeights,
  ): Promise<RawBuilder<unknown>> {
    const w = rankWeights(weights);
    if (query.anyWords.length === 0) return sql`ts_rank(${w}, p.search_vector, ${allOf(required)}, 1)`;
    const counts = await sql<Record<string, number>>`
      SELECT (SELECT count(*) FROM papers) AS papers,
        ${sql.join(query.anyWords.map((x, i) => sql`count(*) FILTER (WHERE search_vector @@ ${word(x)}) AS ${sql.ref(`w${i}`)}`))}
      FROM papers WHERE search_vector @@ ${anyOf(query.anyWords.map(word))}`.execute(this.db);
    const row = counts.rows[0] ?? {};
    const papers = Number(row.papers ?? 0);
    const terms = query.anyWords.map((x, i) => {
      const weight = idf(papers, Number(row[`w${i}`] ?? 0));
      return sql`${sql.lit(weight)} * ts_rank(${w}, p.search_vector, ${word(x)}, 1)`;
    });
    return sql`(${sql.join(terms, sql` + `)})`;
  }
}
