import { arxivIdFromText } from "../papers/arxiv-id.ts";
import type { Paper } from "../papers/paper.ts";
import type { Store } from "../store/index.ts";
import type { SearchSort, TextQuery } from "../store/search.ts";
import type { VectorHit } from "../store/vectors.ts";
import { defaultFusion, type FusionSettings, hybrid, questionFusion } from "./fusion.ts";
import { type Highlighted, highlight, highlightStems, snippet } from "./highlight.ts";
import { loosened, parseQuery } from "./query.ts";
import { builtinQueryEmbedder, type QueryEmbedder } from "./query-embedder.ts";

export type { SearchSort } from "../store/search.ts";
export type { Highlighted } from "./highlight.ts";

export type SearchMode = "keyword" | "semantic" | "hybrid";
export const searchModes: SearchMode[] = ["keyword", "semantic", "hybrid"];

export interface SearchOptions {
  /** Default hybrid; falls back to keyword (with a notice) when no vectors can be compared. */
  mode?: SearchMode;
  /** Default relevance. Date and upvote order list every keyword match. */
  sort?: SearchSort;
  limit?: number;
  offset?: number;
  /** Turns the query into a vector; default the built-in model as stored by `paperboy embed`. */
  embedder?: QueryEmbedder;
  /** How hybrid ranking blends the two lists (tuning; see fusion.ts). */
  fusion?: Partial<FusionSettings>;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  title: Highlighted;
  snippet: Highlighted;
}

export type SearchOutcome =
  | { kind: "paper"; id: string }
  | {
      kind: "results";
      hits: SearchHit[];
      /** How many results there are in all (for hybrid, keyword matches plus topic-only finds). */
      total: number;
      /** The mode actually used. */
      mode: SearchMode;
      /** Parts of the query that could not be used, each saying why. */
      problems: string[];
      /** Things the reader should know, e.g. that semantic search is not set up yet. */
      notices: string[];
      /** An arXiv id the query named that is not in this archive. */
      unknownId?: string;
    };

/**
 * The most papers ranked by meaning for one search. Pages beyond it are ranked by keywords
 * alone: nobody reads a thousand papers down a list by meaning, and nearest-neighbour searches
 * of that depth are slow (and sqlite-vec refuses more than 4,096).
 */
export const SEMANTIC_DEPTH = 1000;

interface Ranked {
  ids: string[];
  scores: Map<string, number>;
  total: number;
}

/**
 * Searches papers the way the search box does: an arXiv id or link jumps to the paper;
 * anything else is parsed (phrases, -exclusions, +required words, author:, cat:, title:,
 * after:, before:; a question's boilerplate dropped) and ranked by keywords, by meaning, or by
 * both blended (the default).
 */
export async function search(store: Store, text: string, options: SearchOptions = {}): Promise<SearchOutcome> {
  const named = arxivIdFromText(text);
  if (named && (await store.papers.get(named.id))) return { kind: "paper", id: named.id };

  const parsed = parseQuery(text);
  const { topic, problems, question } = parsed;
  let query = parsed.query;
  const notices: string[] = [];
  const sort = options.sort ?? "relevance";
  const limit = options.limit ?? 20;
  const offset = options.offset ?? 0;
  let mode = options.mode ?? "hybrid";
  if (mode !== "keyword" && (sort !== "relevance" || topic.trim() === "")) mode = "keyword";
  if (mode !== "keyword" && offset + limit > SEMANTIC_DEPTH) {
    notices.push(`Results past the first ${SEMANTIC_DEPTH} are ranked by keywords only.`);
    mode = "keyword";
  }
  let vector: Float32Array | null = null;
  if (mode !== "keyword") {
    const found = await (options.embedder ?? builtinQueryEmbedder).vectorFor(store, topic);
    if ("vector" in found) {
      vector = found.vector;
    } else {
      // Only a reader who asked for meaning, or whose search failed, needs telling.
      if (options.mode || found.failed) notices.push(found.unavailable);
      mode = "keyword";
    }
  }

  const ranking: Ranking = {
    mode,
    vector,
    sort,
    limit,
    offset,
    fusion: { ...(question ? questionFusion : defaultFusion), ...options.fusion },
  };
  let ranked = await rank(store, query, ranking);
  // As web search engines do: when nothing has the exact wording asked for, the papers with its
  // words are more use than an empty page. Date order lists matches (a feed of a search, say).
  const loose = ranked.total === 0 && sort === "relevance" ? loosened(query) : null;
  if (loose) {
    const looseRanked = await rank(store, loose, ranking);
    if (looseRanked.total > 0) {
      notices.push(`No paper matches ${exactWording(query)} exactly, so these papers have some of its words instead.`);
      query = loose;
      ranked = looseRanked;
    }
  }

  const stems = highlightStems(query);
  const papers = await store.papers.getMany(ranked.ids);
  return {
    kind: "results",
    hits: papers.map((paper) => ({
      paper,
      score: ranked.scores.get(paper.id) ?? 0,
      title: highlight(paper.title, stems),
      snippet: snippet(paper.abstract, stems),
    })),
    total: ranked.total,
    mode,
    problems,
    notices,
    ...(named ? { unknownId: named.id } : {}),
  };
}

interface Ranking {
  mode: SearchMode;
  vector: Float32Array | null;
  sort: SearchSort;
  limit: number;
  offset: number;
  fusion: FusionSettings;
}

/** One page of papers for a parsed query, ranked by keywords, by meaning or by both. */
async function rank(
  store: Store,
  query: TextQuery,
  { mode, vector, sort, limit, offset, fusion }: Ranking,
): Promise<Ranked> {
  if (mode === "keyword" || !vector) {
    const page = await store.search.keyword(query, { sort, limit, offset });
    return {
      ids: page.hits.map((h) => h.id),
      scores: new Map(page.hits.map((h) => [h.id, h.score])),
      total: page.total,
    };
  }
  if (mode === "semantic") {
    // A query of words the model has never seen embeds to nothing: no paper is nearer than another.
    const near = vector.some((x) => x !== 0) ? await store.vectors.nearest(vector, offset + limit, query) : [];
    return {
      ids: near.slice(offset).map((h) => h.id),
      scores: new Map(near.map((h) => [h.id, 1 - h.distance])),
      total: near.length,
    };
  }
  const fused = await hybrid(store, query, vector, offset + limit, fusion);
  return { ...fused, ids: fused.ids.slice(offset, offset + limit) };
}

/** The phrases and +required words of a query, as a reader would quote them back. */
function exactWording(query: TextQuery): string {
  return [...query.phrases.map((p) => `"${p.join(" ")}"`), ...query.requiredWords.map((w) => `+${w}`)].join(", ");
}

export interface SimilarPaper {
  paper: Paper;
  /** Cosine similarity, 1 for the same direction. */
  similarity: number;
}

/**
 * Each store's recent answers of similarPapers. Finding a paper's neighbours scans many vectors
 * (at millions of papers, more than the rest of its page costs), and the answer moves only
 * when the data does (`paperboy embed` moves the data version), so a paper's readers share one
 * search. The least recently asked go first.
 */
const neighbourLists = new WeakMap<Store, Map<string, { version: number; near: VectorHit[] }>>();
const KEPT_NEIGHBOUR_LISTS = 20_000;

/** The papers nearest in meaning to one paper, itself excluded; empty before `paperboy embed`. */
export async function similarPapers(store: Store, id: string, limit = 5): Promise<SimilarPaper[]> {
  const kept = neighbourLists.get(store) ?? new Map<string, { version: number; near: VectorHit[] }>();
  neighbourLists.set(store, kept);
  // Read before the search, as the render cache does: a write during it moves the version.
  const version = await store.dataVersion.current();
  const key = `${limit} ${id}`;
  let entry = kept.get(key);
  kept.delete(key);
  if (entry?.version !== version) {
    const vector = await store.vectors.vectorOf(id);
    const near = vector ? (await store.vectors.nearest(vector, limit + 1)).filter((h) => h.id !== id) : [];
    entry = { version, near: near.slice(0, limit) };
  }
  kept.set(key, entry);
  if (kept.size > KEPT_NEIGHBOUR_LISTS) kept.delete(kept.keys().next().value as string);
  const near = entry.near;
  const papers = new Map((await store.papers.getMany(near.map((h) => h.id))).map((p) => [p.id, p]));
  return near.flatMap((h) => {
    const paper = papers.get(h.id);
    return paper ? [{ paper, similarity: 1 - h.distance }] : [];
  });
}
