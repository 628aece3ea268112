import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type { Phrase, SearchDialect, TextQuery } from "../search.ts";
import { filterConditions, orderFor, whereAll } from "../search-conditions.ts";

const phrase = (p: Phrase) => sql`phraseto_tsquery('english', ${p.join(" ")})`;

/**
 * An author name, which must sit in the authors' part (B) of search_vector. PostgreSQL has no
 * function to label a tsquery with a weight, so the parsed query is relabelled as text:
 * phraseto_tsquery keeps the word gaps that a hand-built one would lose.
 */
function authorPhrase(p: Phrase): RawBuilder<unknown> {
  const parsed = sql`phraseto_tsquery('simple', ${p.join(" ")})::text`;
  return sql`to_tsquery('simple', regexp_replace(${parsed}, '''([^'']+)''', ${"'\\1':B"}, 'g'))`;
}

const anyOf = (queries: RawBuilder<unknown>[]) => sql`(${sql.join(queries, sql` || `)})`;
const allOf = (queries: RawBuilder<unknown>[]) => sql`(${sql.join(queries, sql` && `)})`;

/** Text matches up to this many are listed and sorted rather than found along a sorted index. */
const FEW_TO_SORT = 5000;

/** The steps of keyword search on PostgreSQL: conditions are one tsquery on the GIN-indexed search_vector. */
export class PostgresSearchDialect implements SearchDialect {
  constructor(private readonly db: Kysely<Database>) {}

  /** The WHERE conditions for papers meeting the query's conditions (`papers p`). */
  private conditions(query: TextQuery, anyWord: boolean): RawBuilder<unknown>[] {
    return [...this.textConditions(query, anyWord), ...filterConditions(query)];
  }

  /** The conditions on the text alone: words, phrases, authors, exclusions and title phrases. */
  private textConditions(query: TextQuery, anyWord: boolean): RawBuilder<unknown>[] {
    const positive = [
      ...(anyWord && query.anyWords.length ? [anyOf(query.anyWords.map((w) => phrase([w])))] : []),
      ...query.requiredWords.map((w) => phrase([w])),
      ...query.phrases.map(phrase),
      ...query.authors.map(authorPhrase),
    ];
    const excluded = query.excluded.length ? anyOf(query.excluded.map(phrase)) : null;
    // One tsquery for everything asked of the text, exclusions included, so the GIN index
    // answers it without reading papers whenever no phrase needs word positions checked.
    const text = positive.length
      ? [sql`p.search_vector @@ ${allOf(excluded ? [...positive, sql`!!${excluded}`] : positive)}`]
      : excluded
        ? [sql`NOT (p.search_vector @@ ${excluded})`]
        : [];
    // title: is checked on the title index: a weighted query on search_vector would make
    // PostgreSQL read every paper with the word anywhere to look at its weights.
    const inTitle = query.titlePhrases.map((p) => sql`to_tsvector('english', p.title) @@ ${phrase(p)}`);
    return [...text, ...inTitle];
  }

  async conditionKeys(query: TextQuery, atMost: number): Promise<number[] | null> {
    // With filters after a text match, listing them checks a row per text match (a million for a
    // common phrase); when the planner expects more than atMost, the caller's other way is
    // cheaper, and just as exact.
    const textAndFilters = filterConditions(query).length > 0 && this.textConditions(query, false).length > 0;
    if (textAndFilters && (await this.estimate(query, false)) > atMost) return null;
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk FROM papers p WHERE ${whereAll(this.conditions(query, false))} LIMIT ${atMost + 1}`.execute(this.db);
    return rows.length > atMost ? null : rows.map((r) => r.pk).sort((a, b) => a - b);
  }

  async passing(query: TextQuery, pks: number[]): Promise<Set<number>> {
    if (pks.length === 0) return new Set();
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk FROM papers p
      WHERE p.pk = ANY(${pks}::int[]) AND ${whereAll(this.conditions(query, false))}`.execute(this.db);
    return new Set(rows.map((r) => r.pk));
  }

  async count(query: TextQuery, anyWord: boolean, upTo: number): Promise<number> {
    // Selecting no columns lets PostgreSQL count from the index alone on pages it knows are visible.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (
        SELECT FROM papers p WHERE ${whereAll(this.conditions(query, anyWord))} LIMIT ${upTo}) m`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  async estimate(query: TextQuery, anyWord: boolean): Promise<number> {
    const { rows } = await sql<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>`
      EXPLAIN (FORMAT JSON) SELECT FROM papers p WHERE ${whereAll(this.conditions(query, anyWord))}`.execute(this.db);
    return Math.round(rows[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
  }

  async orderedPage(
    query: TextQuery,
    anyWord: boolean,
    sort: "date" | "upvotes",
    limit: number,
    offset: number,
  ): Promise<number[]> {
    const conditions = this.conditions(query, anyWord);
    // PostgreSQL estimates any word rarer than its statistics' common ones at about 0.5% of the
    // papers, so for a rare word it walks the date index and tests every paper (2.8M for an
    // author with none). A text match is looked up in the GIN index first: when it is small,
    // only its papers are sorted.
    if (this.textConditions(query, anyWord).length > 0) {
      const { rows: few } = await sql<{ pk: number }>`
        SELECT p.pk FROM papers p WHERE ${whereAll(conditions)} LIMIT ${FEW_TO_SORT + 1}`.execute(this.db);
      if (few.length <= FEW_TO_SORT) {
        const { rows } = await sql<{ pk: number }>`
          SELECT p.pk FROM papers p WHERE p.pk = ANY(${few.map((r) => r.pk)}::int[])
          ORDER BY ${orderFor(sort)} LIMIT ${limit} OFFSET ${offset}`.execute(this.db);
        return rows.map((r) => r.pk);
      }
    }
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk FROM papers p WHERE ${whereAll(conditions)}
      ORDER BY ${orderFor(sort)} LIMIT ${limit} OFFSET ${offset}`.execute(this.db);
    return rows.map((r) => r.pk);
  }
}
