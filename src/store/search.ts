import type { Kysely } from "kysely";
import { stem, stopStems } from "../papers/words.ts";
import type { DatabaseKind } from "./connection.ts";
import type { KeywordIndexer } from "./keyword-index/indexer.ts";
import { type RankedPaper, rankTopK } from "./keyword-index/ranking.ts";
import { BlockCache, readTerms } from "./keyword-index/reader.ts";
import type { SearchIndexTables } from "./keyword-index/schema.ts";
import { PostgresSearchDialect } from "./postgres/search.ts";
import type { Database } from "./schema.ts";
import { SqliteSearchDialect } from "./sqlite/search.ts";

export type SearchSort = "relevance" | "date" | "upvotes";

/** A word sequence that must appear in this order, e.g. ["large", "language", "model"]. */
export type Phrase = string[];

/**
 * A search the database can answer, already parsed. Words are folded (lower case, no accents)
 * and unstemmed: each database stems them with the same rules it indexed the papers with.
 */
export interface TextQuery {
  /** Ranked words: a paper matches with any of them and ranks higher the more (and rarer) it has. */
  anyWords: string[];
  /** Words every result must contain (`+word`); they rank like the others too. */
  requiredWords: string[];
  /** Phrases every result must contain somewhere. */
  phrases: Phrase[];
  /** Phrases every result must have in its title. */
  titlePhrases: Phrase[];
  /** Author names every result must list. */
  authors: Phrase[];
  /** Words or phrases no result may contain. */
  excluded: Phrase[];
  /** Results must be in at least one of these categories; `cs` also matches `cs.CL`. */
  categories: string[];
  /** Published on or after this day, YYYY-MM-DD. */
  after?: string;
  /** Published before this day, YYYY-MM-DD. */
  before?: string;
}

export interface KeywordSearchOptions {
  sort?: SearchSort;
  limit?: number;
  offset?: number;
  /** Score every match instead of skipping those that cannot rank (to check that skipping changes nothing). */
  exhaustive?: boolean;
}

export interface KeywordHit {
  id: string;
  /** Higher is better; only comparable within one search. */
  score: number;
}

export interface KeywordPage {
  hits: KeywordHit[];
  /** How many papers match in all (estimated when there are very many). */
  total: number;
}

/**
 * The low-level steps of keyword search that differ between the databases: matching a query's
 * conditions (phrases, fields, exclusions, required words, categories, dates) with FTS5 or a
 * tsquery, counting, and listing by date or upvotes. Ranking is the same on both (the keyword
 * index, see keyword-index/).
 */
export interface SearchDialect {
  /**
   * Keys of the papers meeting the query's conditions, ascending, or null when there are more
   * than `atMost`. With `anyWord`, a paper must also hold one of the free words.
   */
  conditionKeys(query: TextQuery, atMost: number): Promise<number[] | null>;
  /** Which of these papers meet the conditions. */
  passing(query: TextQuery, pks: number[]): Promise<Set<number>>;
  /** Papers meeting the conditions (and, with anyWord, holding a free word), counted no further than `upTo`. */
  count(query: TextQuery, anyWord: boolean, upTo: number): Promise<number>;
  /** The query planner's estimate of that count. */
  estimate(query: TextQuery, anyWord: boolean): Promise<number>;
  /** One page of the papers meeting the conditions (and holding a free word, with anyWord), in this order. */
  orderedPage(
    query: TextQuery,
    anyWord: boolean,
    sort: "date" | "upvotes",
    limit: number,
    offset: number,
  ): Promise<number[]>;
}

/** With conditions matching at most this many papers, exactly those are ranked. */
const CONDITION_KEYS_AT_MOST = 5000;
/** Beyond this many matches, the total is estimated. */
const COUNTED_AT_MOST = 1000;

/** Whether the query asks for more than words: phrases, fields, exclusions, required words, filters. */
export function hasConditions(query: TextQuery): boolean {
  return (
    query.requiredWords.length +
      query.phrases.length +
      query.titlePhrases.length +
      query.authors.length +
      query.excluded.length +
      query.categories.length >
      0 ||
    query.after !== undefined ||
    query.before !== undefined
  );
}

/**
 * The stems a query ranks by, stop words left out: its free and required words and the words of
 * its phrases, each with how many of the query's distinct words stem to it (a term asked for
 * twice, as "translated" and "translating", weighs twice, as in FTS5's bm25 of the words OR-ed).
 */
export function rankedTerms(query: TextQuery): Map<string, number> {
  const words = new Set([
    ...query.anyWords,
    ...query.requiredWords,
    ...query.phrases.flat(),
    ...query.titlePhrases.flat(),
  ]);
  const terms = new Map<string, number>();
  for (const word of words) {
    const term = stem(word);
    if (!stopStems.has(term)) terms.set(term, (terms.get(term) ?? 0) + 1);
  }
  return terms;
}

/**
 * Keyword search: which papers match a query, ranked by bm25 over any of its words exactly as
 * scoring every match would rank them (see keyword-index/ranking.ts), or listed by date or
 * upvotes. This is the policy; each database supplies the steps in SearchDialect.
 */
export class SearchRepository {
  private readonly dialect: SearchDialect;
  private readonly blocks: BlockCache;

  /** `cacheBytes`: postings kept between searches (BlockCache's default when not given). */
  constructor(
    private readonly db: Kysely<Database>,
    kind: DatabaseKind,
    private readonly indexer: KeywordIndexer,
    cacheBytes?: number,
  ) {
    this.dialect = kind === "sqlite" ? new SqliteSearchDialect(db) : new PostgresSearchDialect(db);
    this.blocks = new BlockCache(cacheBytes);
  }

  /** Papers matching a query, best first (or newest, or most upvoted), with the number matching in all. */
  async keyword(query: TextQuery, options: KeywordSearchOptions = {}): Promise<KeywordPage> {
    const sort = options.sort ?? "relevance";
    const limit = options.limit ?? 20;
    const offset = options.offset ?? 0;
    const terms = rankedTerms(query);
    const conditions = hasConditions(query);
    if (terms.size === 0 && !conditions) return { hits: [], total: 0 };
    await this.catchUp();

    if (sort !== "relevance" || terms.size === 0) {
      const anyWord = query.anyWords.length > 0;
      const [pks, total] = await Promise.all([
        this.dialect.orderedPage(query, anyWord, sort === "upvotes" ? "upvotes" : "date", limit, offset),
        this.total(query, anyWord),
      ]);
      return { hits: await this.withIds(pks.map((pk) => ({ pk, score: 0 }))), total };
    }

    const index = await readTerms(this.db.withTables<SearchIndexTables>(), terms, this.blocks);
    const wanted = offset + limit;
    let ranked: RankedPaper[];
    let total: number;
    if (!conditions) {
      const result = rankTopK(index.lists, wanted, index.averageLength, { exhaustive: options.exhaustive });
      ranked = result.papers;
      total = result.matched ?? estimateHolding(index.papers, index.holding);
    } else {
      const keys = await this.dialect.conditionKeys(query, CONDITION_KEYS_AT_MOST);
      if (keys) {
        const result = rankTopK(index.lists, wanted, index.averageLength, { allowed: Int32Array.from(keys) });
        ranked = result.papers;
        total = result.matched ?? 0;
      } else {
        [ranked, total] = await Promise.all([
          this.rankPassing(query, index.lists, wanted, index.averageLength),
          this.total(query, true),
        ]);
      }
    }
    return { hits: await this.withIds(ranked.slice(offset, offset + limit)), total };
  }

  /**
   * The bm25 score of each of these papers for the query's words (0 for a paper holding none),
   * as keyword() would score it: for blending with scores from elsewhere.
   */
  async scores(query: TextQuery, ids: string[]): Promise<Map<string, number>> {
    const scores = new Map(ids.map((id) => [id, 0]));
    const terms = rankedTerms(query);
    if (ids.length === 0 || terms.size === 0) return scores;
    await this.catchUp();
    const rows = await this.db.selectFrom("papers").select(["pk", "id"]).where("id", "in", ids).execute();
    const index = await readTerms(this.db.withTables<SearchIndexTables>(), terms, this.blocks);
    const allowed = Int32Array.from(rows.map((r) => r.pk)).sort();
    const ranked = rankTopK(index.lists, allowed.length, index.averageLength, { allowed });
    const idOf = new Map(rows.map((r) => [r.pk, r.id]));
    for (const r of ranked.papers) scores.set(idOf.get(r.pk) ?? "", r.score);
    scores.delete("");
    return scores;
  }

  /**
   * The best `wanted` papers meeting conditions that many papers meet: the best papers overall
   * are ranked, then checked, with more of them until enough pass. Every paper left unranked
   * scores below all those checked, so the passing ones are exactly the best that pass.
   */
  private async rankPassing(
    query: TextQuery,
    lists: Parameters<typeof rankTopK>[0],
    wanted: number,
    averageLength: number,
  ): Promise<RankedPaper[]> {
    // Ranking costs about the same for any pool while the words are common, so pools grow fast.
    for (let pool = Math.max(16 * wanted, 1000); ; pool *= 8) {
      const { papers } = rankTopK(lists, pool, averageLength);
      const passing = await this.dialect.passing(
        query,
        papers.map((p) => p.pk),
      );
      const kept = papers.filter((p) => passing.has(p.pk));
      if (kept.length >= wanted || papers.length < pool) return kept;
    }
  }

  /** How many papers match: counted up to COUNTED_AT_MOST, the database's estimate beyond. */
  private async total(query: TextQuery, anyWord: boolean): Promise<number> {
    const counted = await this.dialect.count(query, anyWord, COUNTED_AT_MOST);
    return counted < COUNTED_AT_MOST ? counted : Math.max(counted, await this.dialect.estimate(query, anyWord));
  }

  /** Indexes the papers written since the keyword index last caught up. */
  async catchUp(): Promise<void> {
    const db = this.db.withTables<SearchIndexTables>();
    if (await this.indexer.behind(db)) await db.transaction().execute((trx) => this.indexer.catchUp(trx));
  }

  private async withIds(ranked: RankedPaper[]): Promise<KeywordHit[]> {
    if (ranked.length === 0) return [];
    const rows = await this.db
      .selectFrom("papers")
      .select(["pk", "id"])
      .where(
        "pk",
        "in",
        ranked.map((r) => r.pk),
      )
      .execute();
    const ids = new Map(rows.map((r) => [r.pk, r.id]));
    return ranked.flatMap((r) => {
      const id = ids.get(r.pk);
      return id === undefined ? [] : [{ id, score: r.score }];
    });
  }
}

/**
 * How many papers hold at least one of the terms, taking the terms to occur independently:
 * an estimate for a total that would take reading every list to count.
 */
function estimateHolding(papers: number, holding: number[]): number {
  if (papers === 0) return 0;
  const missingAll = holding.reduce((p, h) => p * (1 - Math.min(1, h / papers)), 1);
  return Math.max(Math.round(papers * (1 - missingAll)), ...holding);
}
