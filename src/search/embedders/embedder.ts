/** What a text is for: some models embed a question differently from the passage that answers it. */
export type EmbeddingPurpose = "query" | "document";

/** Turns texts into vectors whose cosine similarity says how alike their topics are. */
export interface Embedder {
  /** Names the model: vectors from two different ids are never compared. */
  readonly id: string;
  embed(texts: string[], purpose: EmbeddingPurpose): Promise<Float32Array[]>;
}

/** The text of a paper every embedder sees. */
export function paperText(paper: { title: string; abstract: string }): string {
  return `${paper.title}\n\n${paper.abstract}`;
}

/** Scales a vector to length 1 in place (a zero vector stays zero), so dot product is cosine. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}
