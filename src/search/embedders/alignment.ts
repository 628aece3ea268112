import type { LsaModel } from "./builtin.ts";

/** A text as the model reads it: the columns of its terms and their tf-idf weights (unit length). */
export interface SparseText {
  columns: number[];
  weights: number[];
}

export interface AlignmentOptions {
  /** Passes over the pairs. */
  epochs?: number;
  /** Pairs per step; every other pair of a batch is a negative example for each. */
  batchSize?: number;
  /** Softmax temperature of the similarities. */
  temperature?: number;
  learningRate?: number;
  /** Seed of the shuffling, so that training is repeatable. */
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A small deterministic generator (mulberry32), for shuffling. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Teaches the projection that a short description and the paper it describes belong together:
 * each paper's title should land nearest its own abstract among a batch of others' (a
 * contrastive, InfoNCE loss in both directions, as in dense retrievers such as DPR), starting
 * from LSA's projection and moving only the rows of the terms seen. Titles stand in for the
 * questions readers ask, so queries come to land near the papers that answer them even in
 * other words. Returns the new projection; the model's terms and idf are unchanged.
 */
export function alignProjection(
  model: LsaModel,
  pairs: { query: SparseText; document: SparseText }[],
  options: AlignmentOptions = {},
): Float32Array {
  const { epochs = 1, batchSize = 256, temperature = 0.05, learningRate = 0.001, seed = 1 } = options;
  const d = model.rank;
  const projection = Float32Array.from(model.projection);
  // Adam's moment estimates, and this step's gradient for the rows it touches.
  const firstMoment = new Float32Array(projection.length);
  const secondMoment = new Float32Array(projection.length);
  const gradient = new Float32Array(projection.length);
  const touched = new Uint8Array(model.terms.size);
  const touchedRows: number[] = [];
  const next = random(seed);
  const steps = epochs * Math.floor(pairs.length / batchSize);
  let step = 0;

  // Forward: a text's unit vector and the norm it had before scaling.
  const encode = (text: SparseText, out: Float64Array): number => {
    out.fill(0);
    for (let e = 0; e < text.columns.length; e++) {
      const base = (text.columns[e] ?? 0) * d;
      const w = text.weights[e] ?? 0;
      for (let k = 0; k < d; k++) out[k] = (out[k] ?? 0) + w * (projection[base + k] ?? 0);
    }
    let norm = 0;
    for (let k = 0; k < d; k++) norm += (out[k] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1e-9;
    for (let k = 0; k < d; k++) out[k] = (out[k] ?? 0) / norm;
    return norm;
  };
  // Backward: from the gradient on a unit vector to its terms' rows (through the scaling).
  const backward = (text: SparseText, unit: Float64Array, norm: number, onUnit: Float64Array) => {
    let along = 0;
    for (let k = 0; k < d; k++) along += (unit[k] ?? 0) * (onUnit[k] ?? 0);
    for (let e = 0; e < text.columns.length; e++) {
      const row = text.columns[e] ?? 0;
      if (!touched[row]) {
        touched[row] = 1;
        touchedRows.push(row);
      }
      const base = row * d;
      const w = (text.weights[e] ?? 0) / norm;
      for (let k = 0; k < d; k++) {
        gradient[base + k] = (gradient[base + k] ?? 0) + w * ((onUnit[k] ?? 0) - (unit[k] ?? 0) * along);
      }
    }
  };

  const queries = Array.from({ length: batchSize }, () => new Float64Array(d));
  const documents = Array.from({ length: batchSize }, () => new Float64Array(d));
  const queryNorms = new Float64Array(batchSize);
  const documentNorms = new Float64Array(batchSize);
  const logits = new Float64Array(batchSize * batchSize);
  const weightsOf = new Float64Array(batchSize * batchSize);
  const onUnit = new Float64Array(d);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = pairs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    for (let start = 0; start + batchSize <= order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize).map((i) => pairs[i] as (typeof pairs)[number]);
      batch.forEach((pair, i) => {
        queryNorms[i] = encode(pair.query, queries[i] as Float64Array);
        documentNorms[i] = encode(pair.document, documents[i] as Float64Array);
      });
      for (let i = 0; i < batchSize; i++) {
        for (let j = 0; j < batchSize; j++) {
          let s = 0;
          const q = queries[i] as Float64Array;
          const doc = documents[j] as Float64Array;
          for (let k = 0; k < d; k++) s += (q[k] ?? 0) * (doc[k] ?? 0);
          logits[i * batchSize + j] = s / temperature;
        }
      }
      // d loss / d logit for the loss averaged over both directions (query → its document among
      // the batch's documents, and document → its query).
      weightsOf.fill(0);
      for (const byRow of [true, false]) {
        for (let a = 0; a < batchSize; a++) {
          const at = (b: number) => (byRow ? a * batchSize + b : b * batchSize + a);
          let max = Number.NEGATIVE_INFINITY;
          for (let b = 0; b < batchSize; b++) max = Math.max(max, logits[at(b)] ?? 0);
          let sum = 0;
          for (let b = 0; b < batchSize; b++) sum += Math.exp((logits[at(b)] ?? 0) - max);
          for (let b = 0; b < batchSize; b++) {
            const p = Math.exp((logits[at(b)] ?? 0) - max) / sum;
            weightsOf[at(b)] = (weightsOf[at(b)] ?? 0) + (p - (a === b ? 1 : 0)) / (2 * batchSize * temperature);
          }
        }
      }
      for (const side of ["query", "document"] as const) {
        for (let a = 0; a < batchSize; a++) {
          onUnit.fill(0);
          for (let b = 0; b < batchSize; b++) {
            const g = side === "query" ? (weightsOf[a * batchSize + b] ?? 0) : (weightsOf[b * batchSize + a] ?? 0);
            const other = (side === "query" ? documents[b] : queries[b]) as Float64Array;
            for (let k = 0; k < d; k++) onUnit[k] = (onUnit[k] ?? 0) + g * (other[k] ?? 0);
          }
          const pair = batch[a] as (typeof pairs)[number];
          if (side === "query") backward(pair.query, queries[a] as Float64Array, queryNorms[a] ?? 1, onUnit);
          else backward(pair.document, documents[a] as Float64Array, documentNorms[a] ?? 1, onUnit);
        }
      }
      // Adam, on the rows this step touched only.
      step++;
      const correct1 = 1 - 0.9 ** step;
      const correct2 = 1 - 0.999 ** step;
      for (const row of touchedRows) {
        for (let k = row * d, end = k + d; k < end; k++) {
          const g = gradient[k] ?? 0;
          const m = 0.9 * (firstMoment[k] ?? 0) + 0.1 * g;
          const v = 0.999 * (secondMoment[k] ?? 0) + 0.001 * g * g;
          firstMoment[k] = m;
          secondMoment[k] = v;
          projection[k] = (projection[k] ?? 0) - (learningRate * (m / correct1)) / (Math.sqrt(v / correct2) + 1e-8);
          gradient[k] = 0;
        }
        touched[row] = 0;
      }
      touchedRows.length = 0;
      options.onProgress?.(step, steps);
    }
  }
  return projection;
}
