import type { Kysely } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import { PostgresKeywordSearch } from "./postgres/search.ts";
import type { Database } from "./schema.ts";
import { SqliteKeywordSearch } from "./sqlite/search.ts";

export type SearchSort = "relevance" | "date" | "upvotes";

/** A word sequence that must appear in this order, e.g. ["large", "language", "model"]. */
export type Phrase = string[];

/**
 * A search the database can answer, already parsed. Words are lower-case and unstemmed: each
 * database stems them with the same English rules it used to index the papers.
 */
export interface TextQuery {
  /**
   * Ranked words: a paper ranks higher the more (and rarer) of them it has. A paper with any of
   * them may match; a database may match only papers with all (or most) of them when enough do,
   * as readers of a short topic query expect.
   */
  anyWords: string[];
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

/** How much a match in each field counts, relative to the others. */
export interface FieldWeights {
  title: number;
  abstract: number;
  authors: number;
}

export const defaultFieldWeights: FieldWeights = { title: 3, abstract: 1, authors: 1 };

export interface KeywordSearchOptions {
  sort?: SearchSort;
  limit?: number;
  offset?: number;
  weights?: FieldWeights;
  /** How many matches the caller needs (default offset + limit) before papers lacking some words may be left out. */
  minimumMatches?: number;
}

export interface KeywordHit {
  id: string;
  /** Higher is better; only comparable within one search. */
  score: number;
}

export interface KeywordPage {
  hits: KeywordHit[];
  /** How many papers match in all. */
  total: number;
}

/** One database's way of matching and ranking a TextQuery. */
export interface KeywordSearchDialect {
  search(query: TextQuery, options: Required<KeywordSearchOptions>): Promise<KeywordPage>;
}

export class SearchRepository {
  private readonly dialect: KeywordSearchDialect;

  constructor(db: Kysely<Database>, kind: DatabaseKind) {
    this.dialect = kind === "sqlite" ? new SqliteKeywordSearch(db) : new PostgresKeywordSearch(db);
  }

  /** Papers matching a query, best first (or newest, or most upvoted), with the number matching in all. */
  keyword(query: TextQuery, options: KeywordSearchOptions = {}): Promise<KeywordPage> {
    return this.dialect.search(query, {
      sort: options.sort ?? "relevance",
      limit: options.limit ?? 20,
      offset: options.offset ?? 0,
      weights: options.weights ?? defaultFieldWeights,
      minimumMatches: options.minimumMatches ?? (options.offset ?? 0) + (options.limit ?? 20),
    });
  }
}
