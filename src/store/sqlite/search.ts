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

/** The FTS5 expression a result's text must match: what it must contain, NOT what it may not. */
function textExpression(query: TextQuery, anyWord: boolean): { positive: string | null; negative: string | null } {
  const positive = positiveExpression(query, anyWord);
  const negative = query.excluded.length ? `(${query.excluded.map(quoted).join(" OR ")})` : null;
  return { positive: positive && negative ? `${positive} NOT ${negative}` : positive, negative };
}

/**
 * The share of text matches checked against the other filters to estimate how many pass them.
 * FTS5 seeks to a rowid bound only when the bound is an integer, and numbers are bound as
 * reals, hence the CASTs.
 */
const SAMPLE_WINDOWS = 20;
const SAMPLE_PER_WINDOW = 100;

/**
 * Checking given papers against the text, FTS5 either reads the expression's matches in order
 * or seeks to each paper in every term's list; a seek costs about what reading this many
 * matches does, so reading pays while the matches are fewer than this many per paper.
 */
const MATCHES_READ_PER_PAPER = 50;

/** The steps of keyword search on SQLite: conditions are an FTS5 expression beside SQL filters. */
export class SqliteSearchDialect implements SearchDialect {
  /** One search asks for its estimate twice (in count, then for the total): the second is this. */
  private readonly estimates = new WeakMap<TextQuery, Map<boolean, Promise<number>>>();

  /** `matchesReadPerPaper`: see MATCHES_READ_PER_PAPER (tests set it to 0 to make every check seek). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly matchesReadPerPaper = MATCHES_READ_PER_PAPER,
  ) {}

  /**
   * `FROM papers p … WHERE …` for the papers meeting the conditions; with `among`, only these
   * papers, which FTS5 then looks up alone instead of listing every match of the text.
   */
  private matching(query: TextQuery, anyWord: boolean, among?: number[]): RawBuilder<unknown> {
    const { positive, negative } = textExpression(query, anyWord);
    const listed = among ? sql`(SELECT value FROM json_each(${JSON.stringify(among)}))` : null;
    const conditions = [...filterConditions(query), ...(listed ? [sql`p.pk IN ${listed}`] : [])];
    const fts = (expression: string) =>
      listed
        ? sql`SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${expression} AND rowid IN ${listed}`
        : sql`SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${expression}`;
    if (!positive) {
      if (negative) conditions.push(sql`p.pk NOT IN (${fts(negative)})`);
      return sql`FROM papers p WHERE ${whereAll(conditions)}`;
    }
    if (listed) return sql`FROM papers p WHERE ${whereAll([...conditions, sql`p.pk IN (${fts(positive)})`])}`;
    return sql`FROM (${fts(positive)}) m JOIN papers p ON p.pk = m.rowid WHERE ${whereAll(conditions)}`;
  }

  async conditionKeys(query: TextQuery, atMost: number): Promise<number[] | null> {
    // Listing them would read a paper row per text match (see count): when the sample says
    // there are more than atMost, the caller's other way is cheaper, and just as exact.
    if (this.costlyToCount(query, false) && (await this.estimate(query, false)) > atMost) return null;
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk ${this.matching(query, false)} LIMIT ${atMost + 1}`.execute(this.db);
    return rows.length > atMost ? null : rows.map((r) => r.pk).sort((a, b) => a - b);
  }

  async passing(query: TextQuery, pks: number[]): Promise<Set<number>> {
    if (pks.length === 0) return new Set();
    const { positive, negative } = textExpression(query, false);
    const expression = positive ?? negative;
    const matched = expression ? await this.matchesAmong(expression, pks) : null;
    if (expression && !matched) {
      const { rows } = await sql<{ pk: number }>`SELECT p.pk ${this.matching(query, false, pks)}`.execute(this.db);
      return new Set(rows.map((r) => r.pk));
    }
    const textPassing = matched ? pks.filter((pk) => matched.has(pk) === (positive !== null)) : pks;
    const filters = filterConditions(query);
    if (filters.length === 0 || textPassing.length === 0) return new Set(textPassing);
    const { rows } = await sql<{ pk: number }>`
      SELECT p.pk FROM papers p
      WHERE p.pk IN (SELECT value FROM json_each(${JSON.stringify(textPassing)})) AND ${whereAll(filters)}`.execute(
      this.db,
    );
    return new Set(rows.map((r) => r.pk));
  }

  /**
   * Which of these papers match an FTS5 expression, read as one pass over its matches between
   * the lowest and highest key, or null when there are too many matches there for that to pay.
   */
  private async matchesAmong(expression: string, pks: number[]): Promise<Set<number> | null> {
    let low = pks[0] ?? 0;
    let high = low;
    for (const pk of pks) {
      low = Math.min(low, pk);
      high = Math.max(high, pk);
    }
    const atMost = this.matchesReadPerPaper * pks.length;
    const { rows } = await sql<{ pk: number }>`
      SELECT rowid AS pk FROM papers_fts
      WHERE papers_fts MATCH ${expression}
        AND rowid >= CAST(${low} AS INTEGER) AND rowid <= CAST(${high} AS INTEGER)
      LIMIT ${atMost + 1}`.execute(this.db);
    return rows.length > atMost ? null : new Set(rows.map((r) => r.pk));
  }

  /**
   * Whether listing the papers that match the text and pass the filters reads a paper row per
   * text match: with millions of matches and a filter few of them pass, that is every row.
   */
  private costlyToCount(query: TextQuery, anyWord: boolean): boolean {
    return filterConditions(query).length > 0 && textExpression(query, anyWord).positive !== null;
  }

  async count(query: TextQuery, anyWord: boolean, upTo: number): Promise<number> {
    // When the sample says plenty pass, "plenty" is all the caller asks.
    if (this.costlyToCount(query, anyWord) && (await this.estimate(query, anyWord)) >= 2 * upTo) return upTo;
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT 1 ${this.matching(query, anyWord)} LIMIT ${upTo})`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * SQLite has no estimate of its own: the matches of the text are counted in the FTS5 index
   * alone (no paper rows read), scaled by the share that pass the other filters among a sample
   * taken evenly across the matches (the newest alone would say every paper passes `after:`).
   */
  estimate(query: TextQuery, anyWord: boolean): Promise<number> {
    const known = this.estimates.get(query) ?? new Map<boolean, Promise<number>>();
    this.estimates.set(query, known);
    // With no free words, holding one asks nothing more: the same estimate.
    const key = anyWord && query.anyWords.length > 0;
    const estimate = known.get(key) ?? this.estimateNow(query, key);
    known.set(key, estimate);
    return estimate;
  }

  private async estimateNow(query: TextQuery, anyWord: boolean): Promise<number> {
    const { positive } = textExpression(query, anyWord);
    const filters = filterConditions(query);
    if (!positive) {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n ${this.matching(query, anyWord)}`.execute(this.db);
      return Number(rows[0]?.n ?? 0);
    }
    const { rows: counted } = await sql<{ n: number; last: number | null }>`
      SELECT count(*) AS n, max(rowid) AS last FROM papers_fts WHERE papers_fts MATCH ${positive}`.execute(this.db);
    const all = Number(counted[0]?.n ?? 0);
    const last = Number(counted[0]?.last ?? 0);
    if (filters.length === 0 || all === 0) return all;
    const sample = new Set<number>();
    for (let w = 0; w < SAMPLE_WINDOWS; w++) {
      const { rows } = await sql<{ pk: number }>`
        SELECT rowid AS pk FROM papers_fts
        WHERE papers_fts MATCH ${positive} AND rowid > CAST(${Math.floor((last * w) / SAMPLE_WINDOWS)} AS INTEGER)
        LIMIT ${SAMPLE_PER_WINDOW}`.execute(this.db);
      for (const r of rows) sample.add(r.pk);
    }
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM papers p
      WHERE p.pk IN (SELECT value FROM json_each(${JSON.stringify([...sample])})) AND ${whereAll(filters)}`.execute(
      this.db,
    );
    return Math.round((all * Number(rows[0]?.n ?? 0)) / sample.size);
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
