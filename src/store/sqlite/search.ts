import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type { Phrase, SearchDialect, TextQuery } from "../search.ts";
import { filterConditions, orderFor, whereAll } from "../search-conditions.ts";

// Words reach here as letters and digits only, so quoting each phrase is all FTS5 needs to
// read it as text and never as query syntax.
const quoted = (phrase: Phrase) => `"${phrase.join(" ").replaceAll('"', '""')}"`;

/** The FTS5 expression for what a result must contain, or null when nothing is asked of the text. */
function positiveExpression(query: TextQuery, anyWord: boolean): string | null {
  const parts = [
    ...(anyWord && query.anyWords.length ? [`(${query.anyWords.map((w) => quoted([w])).join(" OR ")})`] : []),
    ...query.requiredWords.map((w) => quoted([w])),
    ...query.phrases.map(quoted),
    ...query.titlePhrases.map((p) => `title : ${quoted(p)}`),
    ...query.authors.map((p) => `author_names : ${quoted(p)}`),
  ];
  return parts.length ? parts.join(" AND ") : null;
}

/** The steps of keyword search on SQLite: conditions are an FTS5 expression beside SQL filters. */
export class SqliteSearchDialect implements SearchDialect {
  constructor(private readonly db: Kysely<Database>) {}

  /** `FROM papers p … WHERE …` for the papers meeting the conditions. */
  private matching(query: TextQuery, anyWord: boolean, extra: RawBuilder<unknown>[] = []): RawBuilder<unknown> {
    const positive = positiveExpression(query, anyWord);
    const negative = query.excluded.length ? `(${query.excluded.map(quoted).join(" OR ")})` : null;
    const conditions = [...filterConditions(query), ...extra];
    if (!positive) {
      if (negative) conditions.push(sql`p.pk NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${negative})`);
      return sql`FROM papers p WHERE ${whereAll(conditions)}`;
    }
    const expression = negative ? `${positive} NOT ${negative}` : positive;
    return sql`FROM (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${expression}) m
      JOIN papers p ON p.pk = m.rowid WHERE ${whereAll(conditions)}`;
  }

  async conditionKeys(query: TextQuery, atMost: number): Promise<number[] | null> {
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk ${this.matching(query, false)} LIMIT ${atMost + 1}`.execute(this.db);
    return rows.length > atMost ? null : rows.map((r) => r.pk).sort((a, b) => a - b);
  }

  async passing(query: TextQuery, pks: number[]): Promise<Set<number>> {
    if (pks.length === 0) return new Set();
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk ${this.matching(query, false, [sql`p.pk IN (SELECT value FROM json_each(${JSON.stringify(pks)}))`])}`.execute(
      this.db,
    );
    return new Set(rows.map((r) => r.pk));
  }

  async count(query: TextQuery, anyWord: boolean, upTo: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT 1 ${this.matching(query, anyWord)} LIMIT ${upTo})`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * SQLite has no estimate of its own: the matches of the text conditions are counted in the
   * FTS5 index alone (no paper rows read), scaled by the share of the newest of them that pass
   * the other filters.
   */
  async estimate(query: TextQuery, anyWord: boolean): Promise<number> {
    const text = { ...query, categories: [], after: undefined, before: undefined };
    const all = await this.count(text, anyWord, Number.MAX_SAFE_INTEGER);
    if (filterConditions(query).length === 0 || all === 0) return all;
    const sample = 1000;
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT p.pk ${this.matching(text, anyWord)} ORDER BY p.pk DESC LIMIT ${sample}) s
      JOIN papers p ON p.pk = s.pk WHERE ${whereAll(filterConditions(query))}`.execute(this.db);
    return Math.round((all * Number(rows[0]?.n ?? 0)) / Math.min(all, sample));
  }

  async orderedPage(
    query: TextQuery,
    anyWord: boolean,
    sort: "date" | "upvotes",
    limit: number,
    offset: number,
  ): Promise<number[]> {
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk ${this.matching(query, anyWord)} ORDER BY ${orderFor(sort)} LIMIT ${limit} OFFSET ${offset}`.execute(
      this.db,
    );
    return rows.map((r) => r.pk);
  }
}
