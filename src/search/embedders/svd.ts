/**
 * Truncated SVD of a large sparse matrix by the randomized range finder of Halko, Martinsson
 * and Tropp (2011): a few passes of sparse × thin-dense products, then an exact SVD of a small
 * matrix. Enough for latent semantic analysis of a few hundred thousand abstracts in pure TS.
 */

/** Rows of a sparse matrix in compressed form: row r's entries are at rowStart[r]..rowStart[r+1]. */
export interface SparseRows {
  rows: number;
  columns: number;
  rowStart: Uint32Array;
  column: Uint32Array;
  value: Float32Array;
}

/** A dense matrix stored row after row (each of length `columns`). */
interface Dense {
  rows: number;
  columns: number;
  data: Float64Array;
}

const dense = (rows: number, columns: number): Dense => ({ rows, columns, data: new Float64Array(rows * columns) });

/** A · X, with X of size A.columns × k. */
function multiply(a: SparseRows, x: Dense): Dense {
  const k = x.columns;
  const out = dense(a.rows, k);
  for (let r = 0; r < a.rows; r++) {
    const o = r * k;
    for (let e = a.rowStart[r] ?? 0, end = a.rowStart[r + 1] ?? 0; e < end; e++) {
      const xo = (a.column[e] ?? 0) * k;
      const v = a.value[e] ?? 0;
      for (let j = 0; j < k; j++) out.data[o + j] = (out.data[o + j] ?? 0) + v * (x.data[xo + j] ?? 0);
    }
  }
  return out;
}

/** Aᵀ · Y, with Y of size A.rows × k. */
function multiplyTransposed(a: SparseRows, y: Dense): Dense {
  const k = y.columns;
  const out = dense(a.columns, k);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * k;
    for (let e = a.rowStart[r] ?? 0, end = a.rowStart[r + 1] ?? 0; e < end; e++) {
      const o = (a.column[e] ?? 0) * k;
      const v = a.value[e] ?? 0;
      for (let j = 0; j < k; j++) out.data[o + j] = (out.data[o + j] ?? 0) + v * (y.data[yo + j] ?? 0);
    }
  }
  return out;
}

function transpose(m: Dense): Dense {
  const out = dense(m.columns, m.rows);
  for (let r = 0; r < m.rows; r++)
    for (let c = 0; c < m.columns; c++) out.data[c * m.rows + r] = m.data[r * m.columns + c] ?? 0;
  return out;
}

/** Orthonormalizes the columns (modified Gram–Schmidt, twice for stability, on contiguous columns). */
function orthonormalize(m: Dense): Dense {
  const t = transpose(m);
  const { columns: length, rows: count, data } = t;
  for (let j = 0; j < count; j++) {
    const cj = j * length;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const ci = i * length;
        let dot = 0;
        for (let r = 0; r < length; r++) dot += (data[ci + r] ?? 0) * (data[cj + r] ?? 0);
        for (let r = 0; r < length; r++) data[cj + r] = (data[cj + r] ?? 0) - dot * (data[ci + r] ?? 0);
      }
    }
    let norm = 0;
    for (let r = 0; r < length; r++) norm += (data[cj + r] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < length; r++) data[cj + r] = norm > 1e-12 ? (data[cj + r] ?? 0) / norm : 0;
  }
  return transpose(t);
}

/** Eigenvalues and eigenvectors (as columns) of a small symmetric matrix, by cyclic Jacobi rotations. */
function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const at = (i: number, j: number) => a[i * n + j] ?? 0;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += at(i, j) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] ?? 0;
          const vkq = v[k * n + q] ?? 0;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = at(i, i);
  return { values, vectors: v };
}

/** A seeded generator, so training the same corpus twice gives the same model. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

export interface TruncatedSvd {
  /** Singular values, largest first. */
  values: Float64Array;
  /** Right singular vectors: `rank` rows of length A.columns, row after row. */
  right: Float32Array;
  rank: number;
}

/** The top `rank` singular values and right singular vectors of A. */
export function truncatedSvd(
  a: SparseRows,
  rank: number,
  options: { oversample?: number; powerIterations?: number } = {},
): TruncatedSvd {
  const width = Math.min(rank + (options.oversample ?? 10), a.rows, a.columns);
  const random = gaussian(42);
  const omega = dense(a.columns, width);
  for (let i = 0; i < omega.data.length; i++) omega.data[i] = random();
  let q = orthonormalize(multiply(a, omega));
  for (let i = 0; i < (options.powerIterations ?? 2); i++) {
    q = orthonormalize(multiply(a, orthonormalize(multiplyTransposed(a, q))));
  }
  // B = Qᵀ A is small (width × columns); its SVD comes from the eigenvectors of B Bᵀ.
  const bt = multiplyTransposed(a, q);
  const gram = new Float64Array(width * width);
  for (let c = 0; c < a.columns; c++) {
    const o = c * width;
    for (let i = 0; i < width; i++) {
      const x = bt.data[o + i] ?? 0;
      if (x === 0) continue;
      for (let j = i; j < width; j++) gram[i * width + j] = (gram[i * width + j] ?? 0) + x * (bt.data[o + j] ?? 0);
    }
  }
  for (let i = 0; i < width; i++) for (let j = 0; j < i; j++) gram[i * width + j] = gram[j * width + i] ?? 0;
  const { values, vectors } = symmetricEigen(gram, width);
  const order = [...values.keys()].sort((x, y) => (values[y] ?? 0) - (values[x] ?? 0));
  const kept = Math.min(rank, width);
  const singular = new Float64Array(kept);
  const right = new Float32Array(kept * a.columns);
  for (let k = 0; k < kept; k++) {
    const e = order[k] ?? 0;
    const sigma = Math.sqrt(Math.max(0, values[e] ?? 0));
    singular[k] = sigma;
    if (sigma < 1e-12) continue;
    // v_k = Bᵀ u_k / σ_k
    const u = new Float64Array(width);
    for (let i = 0; i < width; i++) u[i] = (vectors[i * width + e] ?? 0) / sigma;
    for (let c = 0; c < a.columns; c++) {
      let dot = 0;
      for (let i = 0; i < width; i++) dot += (u[i] ?? 0) * (bt.data[c * width + i] ?? 0);
      right[k * a.columns + c] = dot;
    }
  }
  return { values: singular, right, rank: kept };
}
