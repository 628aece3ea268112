import { createHash } from "node:crypto";
import { stem, stopwords, words } from "../../papers/words.ts";
import type { SparseText } from "./alignment.ts";
import { type Embedder, normalize } from "./embedder.ts";
import { type SparseRows, truncatedSvd } from "./svd.ts";

/**
 * The built-in embedder: a linear projection of tf-idf vectors over stemmed words. It starts as
 * latent semantic analysis (a truncated SVD of the corpus finds the few hundred directions
 * along which words co-occur, so papers about one topic land close together even when they
 * share few words) and is then trained on the corpus's own titles and abstracts to put a short
 * description next to the paper it describes (alignment.ts). Trained from the local corpus, so
 * nothing is ever downloaded.
 */
export interface LsaModel {
  /** Stemmed term → column. */
  terms: Map<string, number>;
  idf: Float32Array;
  rank: number;
  /** Term-major: term t's coordinates are projection[t * rank .. (t + 1) * rank]. */
  projection: Float32Array;
}

export interface LsaTrainingOptions {
  rank?: number;
  maxVocabulary?: number;
  /** Words in fewer papers than this carry no co-occurrence signal and are left out. */
  minDocumentFrequency?: number;
}

export const builtinModelName = "builtin-lsa";

/** The indexable terms of a text: stemmed words, minus stop words and single characters. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => w.length > 1 && !stopwords.has(w))
    .map(stem);
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** A text's terms as columns of the model with their weights (see weights), for training. */
export function sparseText(model: Pick<LsaModel, "terms" | "idf">, text: string): SparseText {
  const entries = weights(model, text);
  return { columns: entries.map((e) => e.column), weights: entries.map((e) => e.weight) };
}

/** Sublinear tf × idf, L2-normalized: the document representation LSA factorizes. */
function weights(model: Pick<LsaModel, "terms" | "idf">, text: string): { column: number; weight: number }[] {
  const entries: { column: number; weight: number }[] = [];
  for (const [term, count] of termCounts(text)) {
    const column = model.terms.get(term);
    if (column !== undefined) entries.push({ column, weight: (1 + Math.log(count)) * (model.idf[column] ?? 0) });
  }
  const norm = Math.hypot(...entries.map((e) => e.weight));
  if (norm > 0) for (const e of entries) e.weight /= norm;
  return entries;
}

export function trainLsa(documents: string[], options: LsaTrainingOptions = {}): LsaModel {
  const documentFrequency = new Map<string, number>();
  for (const text of documents)
    for (const term of termCounts(text).keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const minDf = options.minDocumentFrequency ?? 2;
  const vocabulary = [...documentFrequency]
    .filter(([, df]) => df >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxVocabulary ?? 60000);
  const termIndex = new Map(vocabulary.map(([term], i) => [term, i]));
  const idf = Float32Array.from(vocabulary, ([, df]) => Math.log(documents.length / df));

  const rowStart = new Uint32Array(documents.length + 1);
  const column: number[] = [];
  const value: number[] = [];
  documents.forEach((text, r) => {
    for (const e of weights({ terms: termIndex, idf }, text)) {
      column.push(e.column);
      value.push(e.weight);
    }
    rowStart[r + 1] = column.length;
  });
  const matrix: SparseRows = {
    rows: documents.length,
    columns: vocabulary.length,
    rowStart,
    column: Uint32Array.from(column),
    value: Float32Array.from(value),
  };
  const svd = truncatedSvd(matrix, options.rank ?? 256);
  const rank = svd.rank;
  const projection = new Float32Array(vocabulary.length * rank);
  for (let k = 0; k < rank; k++) {
    for (let t = 0; t < vocabulary.length; t++) projection[t * rank + k] = svd.right[k * vocabulary.length + t] ?? 0;
  }
  return { terms: termIndex, idf, rank, projection };
}

/** Model file layout: 4-byte little-endian header length, JSON header {rank, terms}, idf, projection. */
export function encodeLsaModel(model: LsaModel): Uint8Array {
  const header = Buffer.from(JSON.stringify({ rank: model.rank, terms: [...model.terms.keys()] }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const pad = Buffer.alloc((4 - ((4 + header.length) % 4)) % 4);
  return Buffer.concat([length, header, pad, Buffer.from(model.idf.buffer), Buffer.from(model.projection.buffer)]);
}

export function decodeLsaModel(bytes: Uint8Array): LsaModel {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = buffer.readUInt32LE(0);
  const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString()) as { rank: number; terms: string[] };
  let offset = 4 + headerLength;
  offset += (4 - (offset % 4)) % 4;
  const floats = (count: number) => {
    const out = new Float32Array(count);
    out.set(new Float32Array(buffer.buffer.slice(buffer.byteOffset + offset, buffer.byteOffset + offset + count * 4)));
    offset += count * 4;
    return out;
  };
  const idf = floats(header.terms.length);
  const projection = floats(header.terms.length * header.rank);
  return { terms: new Map(header.terms.map((t, i) => [t, i])), idf, rank: header.rank, projection };
}

export class BuiltinEmbedder implements Embedder {
  readonly id: string;

  constructor(
    private readonly model: LsaModel,
    bytes: Uint8Array,
  ) {
    this.id = `${builtinModelName}:${model.rank}:${createHash("sha1").update(bytes).digest("hex").slice(0, 12)}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): Float32Array {
    const { rank, projection } = this.model;
    const out = new Float32Array(rank);
    for (const { column, weight } of weights(this.model, text)) {
      const base = column * rank;
      for (let k = 0; k < rank; k++) out[k] = (out[k] ?? 0) + weight * (projection[base + k] ?? 0);
    }
    return normalize(out);
  }
}
