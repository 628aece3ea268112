import { arxivIdFromText } from "../papers/arxiv-id.ts";
import type { Paper } from "../papers/paper.ts";
import type { Store } from "../store/index.ts";
import type { SearchSort, TextQuery } from "../store/search.ts";
import { type Embedder, normalize } from "./embedders/embedder.ts";
import { loadBuiltinEmbedder } from "./embedders/index.ts";
import { type Highlighted, highlight, highlightStems, snippet } from "./highlight.ts";
import { parseQuery } from "./query.ts";

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
  /** The embedder for queries; default the built-in model when the stored vectors are its. */
  embedder?: Embedder | null;
  /** Share of the keyword score in hybrid ranking, 0..1. */
  keywordWeight?: number;
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

// Tuned on SciFact train (see docs/search-quality.md): keyword evidence dominates, the
// embedding mostly reorders close calls and adds papers that use other words for the topic.
const DEFAULT_KEYWORD_WEIGHT = 0.8;
/** Best keyword matches whose mean vector is added to the query's in hybrid ranking. */
const FEEDBACK_PAPERS = 3;
const MIN_POOL = 100;

const builtinCache = new WeakMap<Store, { id: string; embedder: Embedder | null }>();

/** The embedder whose vectors are in the store, or null when semantic search cannot run. */
async function queryEmbedder(store: Store, given: Embedder | null | undefined): Promise<Embedder | null> {
  const current = await store.vectors.current();
  if (!current) return null;
  if (given) return given.id === current.embedder ? given : null;
  const cached = builtinCache.get(store);
  if (cached?.id === current.embedder) return cached.embedder;
  const builtin = await loadBuiltinEmbedder(store);
  const embedder = builtin?.id === current.embedder ? builtin : null;
  builtinCache.set(store, { id: current.embedder, embedder });
  return embedder;
}

/** Conditions only a keyword match can check: with any of them, the embedding may only reorder keyword matches. */
const hasRequirements = (q: TextQuery) =>
  q.phrases.length + q.titlePhrases.length + q.authors.length + q.excluded.length > 0;

interface Ranked {
  ids: string[];
  scores: Map<string, number>;
  total: number;
}

/** Scales scores to 0..1 within one list, so lists on different scales can be blended. */
function scaled(scores: Map<string, number>): Map<string, number> {
  const values = [...scores.values()];
  const low = Math.min(...values);
  const high = Math.max(...values);
  return new Map([...scores].map(([id, s]) => [id, high > low ? (s - low) / (high - low) : 1]));
}

/**
 * Pseudo-relevance feedback: the query's vector plus the mean vector of the best keyword
 * matches. A short query embeds poorly on its own; the papers it names by keyword say what
 * topic it means, so the semantic list finds their neighbours rather than the query's words'.
 */
async function withFeedback(store: Store, vector: Float32Array, hits: { id: string }[]): Promise<Float32Array> {
  const shifted = Float32Array.from(vector);
  const feedback = (await Promise.all(hits.slice(0, FEEDBACK_PAPERS).map((h) => store.vectors.vectorOf(h.id)))).filter(
    (paper) => paper?.length === shifted.length,
  );
  for (const paper of feedback) {
    for (let i = 0; i < shifted.length; i++) shifted[i] = (shifted[i] ?? 0) + (paper?.[i] ?? 0) / feedback.length;
  }
  return normalize(shifted);
}

/**
 * Searches papers the way the search box does: an arXiv id or link jumps to the paper;
 * anything else is parsed (phrases, -exclusions, author:, cat:, title:, after:, before:) and
 * ranked by keywords, by meaning, or by both blended (the default).
 */
export async function search(store: Store, text: string, options: SearchOptions = {}): Promise<SearchOutcome> {
  const named = arxivIdFromText(text);
  if (named && (await store.papers.get(named.id))) return { kind: "paper", id: named.id };

  const { query, topic, problems } = parseQuery(text);
  const notices: string[] = [];
  const sort = options.sort ?? "relevance";
  const limit = options.limit ?? 20;
  const offset = options.offset ?? 0;
  let mode = options.mode ?? "hybrid";
  const wantsVectors = mode !== "keyword" && sort === "relevance" && topic.trim() !== "";
  const embedder = wantsVectors ? await queryEmbedder(store, options.embedder) : null;
  if (wantsVectors && !embedder) {
    if (options.mode)
      notices.push("Semantic search is not set up yet (run `paperboy embed`): showing keyword matches.");
    mode = "keyword";
  } else if (!wantsVectors && mode !== "keyword") {
    mode = "keyword";
  }

  let ranked: Ranked;
  if (mode === "keyword" || !embedder) {
    const page = await store.search.keyword(query, { sort, limit, offset });
    ranked = {
      ids: page.hits.map((h) => h.id),
      scores: new Map(page.hits.map((h) => [h.id, h.score])),
      total: page.total,
    };
  } else {
    const pool = Math.max(MIN_POOL, offset + limit);
    const [vector] = await embedder.embed([topic], "query");
    // Hybrid ranks keywords first: their best matches also sharpen the query's vector.
    const keyword =
      mode === "hybrid" ? await store.search.keyword(query, { limit: pool, minimumMatches: offset + limit }) : null;
    const searched = vector && keyword ? await withFeedback(store, vector, keyword.hits) : vector;
    // A query of words the model has never seen embeds to nothing; every paper would then be
    // an equally "near" match, so the semantic side has nothing to say.
    const near = searched?.some((x) => x !== 0) ? await store.vectors.nearest(searched, pool, query) : [];
    const semantic = new Map(near.map((h) => [h.id, 1 - h.distance]));
    if (!keyword) {
      ranked = { ids: [...semantic.keys()], scores: semantic, total: semantic.size };
    } else {
      const keywordScores = new Map(keyword.hits.map((h) => [h.id, h.score]));
      const eligible = hasRequirements(query)
        ? [...keywordScores.keys()]
        : [...new Set([...keywordScores.keys(), ...semantic.keys()])];
      const w = options.keywordWeight ?? DEFAULT_KEYWORD_WEIGHT;
      const k = keywordScores.size ? scaled(keywordScores) : new Map<string, number>();
      const s = semantic.size ? scaled(semantic) : new Map<string, number>();
      const fused = new Map(eligible.map((id) => [id, w * (k.get(id) ?? 0) + (1 - w) * (s.get(id) ?? 0)]));
      const ids = [...fused.keys()].sort((a, b) => (fused.get(b) ?? 0) - (fused.get(a) ?? 0));
      const topicOnly = eligible.length - keywordScores.size;
      ranked = { ids, scores: fused, total: keyword.total + topicOnly };
    }
    ranked.ids = ranked.ids.slice(offset, offset + limit);
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

export interface SimilarPaper {
  paper: Paper;
  /** Cosine similarity, 1 for the same direction. */
  similarity: number;
}

/** The papers nearest in meaning to one paper, itself excluded; empty before `paperboy embed`. */
export async function similarPapers(store: Store, id: string, limit = 5): Promise<SimilarPaper[]> {
  const vector = await store.vectors.vectorOf(id);
  if (!vector) return [];
  const near = (await store.vectors.nearest(vector, limit + 1)).filter((h) => h.id !== id).slice(0, limit);
  const papers = new Map((await store.papers.getMany(near.map((h) => h.id))).map((p) => [p.id, p]));
  return near.flatMap((h) => {
    const paper = papers.get(h.id);
    return paper ? [{ paper, similarity: 1 - h.distance }] : [];
  });
}
