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

/** How far building cells has got: k-means groups trained, then vectors placed in their cell. */
export interface CellsProgress {
  step: "training cells" | "placing vectors";
  done: number;
  total: number;
}

/**
 * Spherical k-means over the vectors (row after row, each of length `dimension`), started from
 * evenly spaced vectors so the same input always gives the same cells.
 */
function kMeans(vectors: Float32Array, dimension: number, count: number, iterations: number): VectorCells {
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

/** Up to this many cells, k-means compares every vector with every centroid. */
const FLAT_CELLS_UP_TO = 256;
/** Coarse groups a vector is compared with before the cells inside them, when placing it. */
const GROUPS_SEARCHED = 2;

export interface TrainedCells {
  cells: VectorCells;
  /** The cell a vector belongs in: the nearest, or with many cells nearly always the nearest. */
  place(vector: Float32Array): number;
}

/**
 * Cells for the sample of vectors. Up to FLAT_CELLS_UP_TO cells, plain k-means. Beyond, as at
 * the scale of all of arXiv (2,500 cells for 2.5 million vectors), comparing every vector with
 * every centroid would take hours, so the cells are trained in two levels: k-means into about
 * √count coarse groups, then each group's vectors into its share of the cells. Placing a vector
 * then compares it with the groups and with the cells of its GROUPS_SEARCHED nearest groups:
 * about 100 comparisons instead of 2,500. Searches still compare the query with every cell.
 */
export function trainCells(
  vectors: Float32Array,
  dimension: number,
  count: number,
  onProgress: (progress: CellsProgress) => void = () => {},
  iterations = 8,
): TrainedCells {
  const rows = Math.floor(vectors.length / dimension);
  if (count <= FLAT_CELLS_UP_TO) {
    onProgress({ step: "training cells", done: 0, total: 1 });
    const cells = kMeans(vectors, dimension, count, iterations);
    onProgress({ step: "training cells", done: 1, total: 1 });
    return { cells, place: (vector) => cellOf(cells, vector) };
  }
  const groups = kMeans(vectors, dimension, Math.round(Math.sqrt(count)), iterations);
  const rowsOf: number[][] = Array.from({ length: groups.count }, () => []);
  for (let r = 0; r < rows; r++) rowsOf[cellOf(groups, vectors.subarray(r * dimension, (r + 1) * dimension))]?.push(r);
  onProgress({ step: "training cells", done: 1, total: groups.count + 1 });

  const centroids: Float32Array[] = [];
  const cellsOf: number[][] = [];
  for (const [g, members] of rowsOf.entries()) {
    const sample = new Float32Array(members.length * dimension);
    for (const [i, r] of members.entries())
      sample.set(vectors.subarray(r * dimension, (r + 1) * dimension), i * dimension);
    // Each group gets cells in proportion to its vectors, so cells stay about the same size.
    const inGroup = members.length
      ? kMeans(sample, dimension, Math.max(1, Math.round((count * members.length) / rows)), iterations)
      : null;
    const first = centroids.length;
    for (let c = 0; c < (inGroup?.count ?? 0); c++)
      centroids.push(inGroup?.centroids.subarray(c * dimension, (c + 1) * dimension) ?? new Float32Array(0));
    cellsOf.push(Array.from({ length: centroids.length - first }, (_, i) => first + i));
    onProgress({ step: "training cells", done: g + 2, total: groups.count + 1 });
  }
  const flat = new Float32Array(centroids.length * dimension);
  for (const [c, centroid] of centroids.entries()) flat.set(centroid, c * dimension);
  const cells: VectorCells = { dimension, centroids: flat, count: centroids.length };
  return {
    cells,
    place(vector) {
      let best = 0;
      let bestSimilarity = Number.NEGATIVE_INFINITY;
      for (const g of nearestCells(groups, vector, GROUPS_SEARCHED)) {
        for (const c of cellsOf[g] ?? []) {
          const similarity = dot(flat, c * dimension, vector, 0, dimension);
          if (similarity > bestSimilarity) [best, bestSimilarity] = [c, similarity];
        }
      }
      return best;
    },
  };
}
