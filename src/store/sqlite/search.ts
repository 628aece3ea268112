import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type { KeywordPage, KeywordSearchDialect, KeywordSearchOptions, Phrase, TextQuery } from "../search.ts";
import { filterConditions, orderFor, whereAll } from "../search-conditions.ts";

// Words reach here as letters and digits only, so quoting each phrase is all FTS5 needs to
// read it as text and never as query syntax.
const quoted = (phrase: Phrase) => `"${phrase.join(" ").replaceAll('"', '""')}"`;

/**
 * The FTS5 expression for what a result must (and may) contain, or null when nothing is asked.
 * Free words in `required` must all be present; the others only rank, so while some are required
 * they are left out when `ranked` is false (for counting, where they change nothing and cost time). Each phrase in the
 * expression adds its own bm25 term, so required words are also listed among the ranked ones,
 * weighing every required word twice and every optional word once.
 */
function positiveExpression(query: TextQuery, required: string[], ranked: boolean): string | null {
  // With no word required, having any of them is the requirement itself.
  const optional = required.length < query.anyWords.length && (ranked || required.length === 0);
  const words = [
    ...required.map((w) => quoted([w])),
    ...(optional ? [`(${query.anyWords.map((w) => quoted([w])).join(" OR ")})`] : []),
  ];
  const parts = [
    ...words,
    ...query.phrases.map(quoted),
    ...query.titlePhrases.map((p) => `title : ${quoted(p)}`),
    ...query.authors.map((p) => `author_names : ${quoted(p)}`),
  ];
  return parts.length ? parts.join(" AND ") : null;
}

/**
 * Keyword search over the FTS5 index, ranked by bm25 with per-column weights.
 *
 * Ranking an OR of common words means scoring most of the corpus, and readers typing a short
 * topic expect papers with all its words anyway. So
 * the search first requires every word; when that finds fewer papers than the caller needs, it
 * stops requiring the most common words one at a time, and only when even the rarest word alone
 * is not enough does it rank papers with any of the words.
 */
export class SqliteKeywordSearch implements KeywordSearchDialect {
  constructor(private readonly db: Kysely<Database>) {}

  async search(query: TextQuery, options: Required<KeywordSearchOptions>): Promise<KeywordPage> {
    const negative = query.excluded.length ? `(${query.excluded.map(quoted).join(" OR ")})` : null;
    const filters = filterConditions(query);
    const matching = (required: string[], ranked: boolean) => {
      const positive = positiveExpression(query, required, ranked);
      return positive && negative ? `${positive} NOT ${negative}` : positive;
    };
    const required = await this.requiredWords(
      query,
      (words) => matching(words, false),
      filters,
      options.minimumMatches,
    );
    const expression = matching(required, true);

    if (!expression) {
      const conditions = [...filters];
      if (negative) conditions.push(sql`p.pk NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${negative})`);
      const sort = options.sort === "relevance" ? "date" : options.sort;
      const rows = await sql<{ id: string; score: number }>`
        SELECT p.id, 0 AS score FROM papers p WHERE ${whereAll(conditions)}
        ORDER BY ${orderFor(sort)} LIMIT ${options.limit} OFFSET ${options.offset}`.execute(this.db);
      const counted = await sql<{ n: number }>`
        SELECT count(*) AS n FROM papers p WHERE ${whereAll(conditions)}`.execute(this.db);
      return { hits: rows.rows, total: Number(counted.rows[0]?.n ?? 0) };
    }

    const { title, abstract, authors } = options.weights;
    // bm25() is lower-is-better; negated so every search scores higher-is-better.
    const score = sql`-bm25(papers_fts, ${sql.lit(title)}, ${sql.lit(abstract)}, ${sql.lit(authors)})`;
    const matches = sql`SELECT rowid, ${score} AS score FROM papers_fts WHERE papers_fts MATCH ${expression}`;
    // By relevance, only the newest RANKED_AT_MOST matches are ranked, which matters only when
    // even all words together match a large part of the corpus (a query like "learning").
    const newest = sql`SELECT * FROM (${matches} ORDER BY rowid DESC LIMIT ${RANKED_AT_MOST}) ORDER BY score DESC, rowid DESC`;
    // Reading a match's row in papers costs far more than ranking it, so by relevance only the
    // best are read: without filters, the page; with filters, the best FILTER_WINDOW, which give
    // exactly the page whenever enough of them pass (every paper outside ranks lower), and
    // otherwise all of them.
    const page = (ranked: RawBuilder<unknown>) =>
      sql<{ id: string; score: number }>`
        SELECT p.id, m.score FROM (${ranked}) m JOIN papers p ON p.pk = m.rowid
        WHERE ${whereAll(filters)}
        ORDER BY ${orderFor(options.sort)} LIMIT ${options.limit} OFFSET ${options.offset}`.execute(this.db);
    const wanted = options.limit + options.offset;
    let hits: { id: string; score: number }[];
    if (options.sort !== "relevance") {
      hits = (await page(matches)).rows;
    } else if (!filters.length) {
      hits = (await page(sql`${newest} LIMIT ${wanted}`)).rows;
    } else {
      hits = (await page(sql`${newest} LIMIT ${Math.max(FILTER_WINDOW, wanted)}`)).rows;
      if (hits.length < options.limit) hits = (await page(newest)).rows;
    }
    return { hits, total: await this.total(matching(required, false) ?? expression, filters) };
  }

  /**
   * How many papers match: exactly without filters (the index alone counts them quickly); with
   * filters, counted up to COUNTED_AT_MOST and estimated beyond from the share of the newest
   * matches that pass them, as an exact count would read every match's row for a number readers
   * only take as "very many".
   */
  private async total(expression: string, filters: RawBuilder<unknown>[]): Promise<number> {
    const all = await this.countMatches(expression, []);
    if (!filters.length) return all;
    const counted = await this.countMatches(expression, filters, COUNTED_AT_MOST);
    if (counted < COUNTED_AT_MOST) return counted;
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (
        SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${expression} ORDER BY rowid DESC LIMIT ${COUNTED_AT_MOST}
      ) m JOIN papers p ON p.pk = m.rowid WHERE ${whereAll(filters)}`.execute(this.db);
    const passing = Number(rows[0]?.n ?? 0) / Math.min(all, COUNTED_AT_MOST);
    return Math.max(counted, Math.round(all * passing));
  }

  /** Papers matching an FTS5 expression and the filters, counting no further than `upTo` when given. */
  private async countMatches(expression: string, filters: RawBuilder<unknown>[], upTo?: number): Promise<number> {
    const from = filters.length
      ? sql`papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ${expression} AND ${whereAll(filters)}`
      : sql`papers_fts WHERE papers_fts MATCH ${expression}`;
    const limit = upTo === undefined ? sql`` : sql`LIMIT ${upTo}`;
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} ${limit})`.execute(
      this.db,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The free words every result must have: all of them if that finds enough papers, else the rarest that do. */
  private async requiredWords(
    query: TextQuery,
    matching: (required: string[]) => string | null,
    filters: RawBuilder<unknown>[],
    enough: number,
  ): Promise<string[]> {
    const words = query.anyWords;
    if (words.length < 2) return words;
    const enoughWith = async (required: string[]) =>
      (await this.countMatches(matching(required) ?? "", filters, enough)) >= enough;
    if (await enoughWith(words)) return words;
    // How common each word is, counted only as far as it takes to tell the words apart.
    const commonness = new Map<string, number>();
    for (const w of words) commonness.set(w, await this.countMatches(quoted([w]), [], COMMON_ENOUGH));
    const rarestFirst = [...words].sort((a, b) => (commonness.get(a) ?? 0) - (commonness.get(b) ?? 0));
    for (let kept = words.length - 1; kept >= 1; kept--) {
      const required = rarestFirst.slice(0, kept);
      if (await enoughWith(required)) return required;
    }
    return [];
  }
}

/** The most matches one search ranks by relevance; newer papers (higher keys) are preferred beyond it. */
const RANKED_AT_MOST = 10000;

/** With filters, the best matches checked against them first. */
const FILTER_WINDOW = 2000;

/** With filters, matches counted before the total is estimated instead. */
const COUNTED_AT_MOST = 1000;

/** Beyond this many papers a word is simply common; counting further would cost time and change nothing. */
const COMMON_ENOUGH = 2000;
