import type { Store } from "../store/index.ts";
import { hasConditions, type TextQuery } from "../store/search.ts";
import { normalize } from "./embedders/embedder.ts";

/** How hybrid ranking blends keyword and semantic evidence (tuned in docs/search-quality.md). */
export interface FusionSettings {
  /** Share of the keyword score in the blend, 0..1. */
  keywordWeight: number;
  /**
   * Pseudo-relevance feedback: how much the vector of the best keyword match, the second, … is
   * added to the query's own before the vector search, against its weight of 1 (empty: none).
   */
  feedback: number[];
  /** Papers each list contributes at least. */
  pool: number;
}

export const defaultFusion: FusionSettings = {
  keywordWeight: 0.55,
  feedback: [1],
  pool: 100,
};

/**
 * For questions in sentences: their words are many and loosely chosen, so meaning counts for
 * more than words, and the query's own vector is better than one moved towards the keyword
 * matches (tuned on LitSearch-dev; docs/search-quality.md).
 */
export const questionFusion: FusionSettings = { ...defaultFusion, keywordWeight: 0.4, feedback: [] };

const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
};

/** Scales scores to 0..1 over the papers ranked, so two scales can be blended. */
function scaled(scores: Map<string, number>): Map<string, number> {
  const values = [...scores.values()];
  const low = Math.min(...values);
  const high = Math.max(...values);
  return new Map([...scores].map(([id, s]) => [id, high > low ? (s - low) / (high - low) : 1]));
}

/**
 * Pseudo-relevance feedback: the query's vector moved towards the vectors of the best keyword
 * matches, each by its weight. A query embeds poorly on its own; the papers its words find say
 * what topic it means, so the vector search finds their neighbours rather than its words'.
 */
function withFeedback(vector: Float32Array, papers: (Float32Array | undefined)[], weights: number[]): Float32Array {
  const shifted = Float32Array.from(vector);
  for (const [rank, paper] of papers.entries()) {
    const weight = weights[rank] ?? 0;
    if (paper?.length !== shifted.length) continue;
    for (let i = 0; i < shifted.length; i++) shifted[i] = (shifted[i] ?? 0) + weight * (paper[i] ?? 0);
  }
  return normalize(shifted);
}

/**
 * Hybrid ranking: the best keyword matches and the papers nearest in meaning, each paper scored
 * on both sides (a paper found by one list gets its exact score on the other, not zero), each
 * side scaled to 0..1 over the papers found, and blended. With conditions only words can check
 * (phrases, fields, exclusions), meaning only reorders the keyword matches.
 */
export async function hybrid(
  store: Store,
  query: TextQuery,
  vector: Float32Array,
  wanted: number,
  settings: Partial<FusionSettings> = {},
): Promise<{ ids: string[]; scores: Map<string, number>; total: number }> {
  const { keywordWeight, feedback, pool } = { ...defaultFusion, ...settings };
  const depth = Math.max(pool, wanted);
  const keyword = await store.search.keyword(query, { limit: depth });
  const keywordScores = new Map(keyword.hits.map((h) => [h.id, h.score]));
  const best = keyword.hits.slice(0, feedback.length).map((h) => h.id);
  const bestVectors = await store.vectors.vectorsOf(best);
  const searched = bestVectors.size
    ? withFeedback(
        vector,
        best.map((id) => bestVectors.get(id)),
        feedback,
      )
    : vector;
  // Papers only the keyword side can vouch for (phrases, fields, exclusions) rank as they do
  // there: vector search would find candidates that are then all dropped.
  const onlyKeyword = hasConditions(query) && !onlyFilters(query);
  const near = !onlyKeyword && searched.some((x) => x !== 0) ? await store.vectors.nearest(searched, depth, query) : [];
  const semanticScores = new Map(near.map((h) => [h.id, 1 - h.distance]));

  const ids = onlyKeyword
    ? [...keywordScores.keys()]
    : [...new Set([...keywordScores.keys(), ...semanticScores.keys()])];
  const missingKeyword = ids.filter((id) => !keywordScores.has(id));
  for (const [id, score] of await store.search.scores(query, missingKeyword)) keywordScores.set(id, score);
  const missingSemantic = ids.filter((id) => !semanticScores.has(id));
  for (const [id, paper] of await store.vectors.vectorsOf(missingSemantic))
    semanticScores.set(id, dot(searched, paper));

  const k = scaled(new Map(ids.map((id) => [id, keywordScores.get(id) ?? 0])));
  const s = scaled(new Map(ids.map((id) => [id, semanticScores.get(id) ?? 0])));
  const fused = new Map(
    ids.map((id) => [id, keywordWeight * (k.get(id) ?? 0) + (1 - keywordWeight) * (s.get(id) ?? 0)]),
  );
  const ranked = [...fused.keys()].sort((a, b) => (fused.get(b) ?? 0) - (fused.get(a) ?? 0) || (a < b ? 1 : -1));
  return { ids: ranked, scores: fused, total: keyword.total + ids.length - keyword.hits.length };
}

/** Whether a query's conditions are only categories and dates, which vector search checks too. */
function onlyFilters(query: TextQuery): boolean {
  return (
    query.requiredWords.length +
      query.phrases.length +
      query.titlePhrases.length +
      query.authors.length +
      query.excluded.length ===
    0
  );
}
