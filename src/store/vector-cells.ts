/**
 * Cells for an inverted-file vector index: k-means centroids of unit vectors (spherical
 * k-means, so similarity is the dot product). A search compares the query with the centroids
 * and scans only the vectors in the few nearest cells instead of every vector.
 */
export interface VectorCells {
  dimension: number;
  /** Cell c's centroid is centroids[c * dimension .. (c + 1) * dimension], of length 1. */
  centroids: Float32Array;
  count: number;
}

function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += (a[aOffset + i] ?? 0) * (b[bOffset + i] ?? 0);
  return sum;
}

/** Cells ordered from most to least similar to the vector. */
export function nearestCells(cells: VectorCells, vector: Float32Array, wanted: number): number[] {
  const similarity = Array.from({ length: cells.count }, (_, c) =>
    dot(cells.centroids, c * cells.dimension, vector, 0, cells.dimension),
  );
  return [...similarity.keys()].sort((a, b) => (similarity[b] ?? 0) - (similarity[a] ?? 0)).slice(0, wanted);
}

/** The cell whose centroid is most similar to the vector. */
export function cellOf(cells: VectorCells, vector: Float32Array): number {
  let best = 0;
  let bestSimilarity = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < cells.count; c++) {
    const similarity = dot(cells.centroids, c * cells.dimension, vector, 0, cells.dimension);
    if (similarity > bestSimilarity) [best, bestSimilarity] = [c, similarity];
  }
  return best;
}

/**
 * Spherical k-means over the vectors (row after row, each of length `dimension`), started from
 * evenly spaced vectors so the same input always gives the same cells.
 */
export function trainCells(vectors: Float32Array, dimension: number, count: number, iterations = 8): VectorCells {
  const rows = Math.floor(vectors.length / dimension);
  const cellCount = Math.max(1, Math.min(count, rows));
  const centroids = new Float32Array(cellCount * dimension);
  for (let c = 0; c < cellCount; c++) {
    const row = Math.floor((c * rows) / cellCount);
    centroids.set(vectors.subarray(row * dimension, (row + 1) * dimension), c * dimension);
  }
  const cells: VectorCells = { dimension, centroids, count: cellCount };
  const assigned = new Int32Array(rows);
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let r = 0; r < rows; r++) assigned[r] = cellOf(cells, vectors.subarray(r * dimension, (r + 1) * dimension));
    const sums = new Float32Array(centroids.length);
    for (let r = 0; r < rows; r++) {
      const base = (assigned[r] ?? 0) * dimension;
      for (let i = 0; i < dimension; i++) sums[base + i] = (sums[base + i] ?? 0) + (vectors[r * dimension + i] ?? 0);
    }
    for (let c = 0; c < cellCount; c++) {
      const sum = sums.subarray(c * dimension, (c + 1) * dimension);
      const norm = Math.sqrt(dot(sum, 0, sum, 0, dimension));
      // A cell that lost all its vectors keeps its old centroid rather than becoming zero.
      if (norm > 0) for (let i = 0; i < dimension; i++) centroids[c * dimension + i] = (sum[i] ?? 0) / norm;
    }
  }
  return cells;
}
