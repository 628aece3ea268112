import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CellsProgress, cellOf, trainCells } from "./vector-cells.ts";

/** Unit vectors scattered around `clusters` random directions (a fixed pseudo-random sequence). */
function clusteredVectors(rows: number, dimension: number, clusters: number): Float32Array {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dimension }, random));
  const out = new Float32Array(rows * dimension);
  for (let r = 0; r < rows; r++) {
    const centre = centres[r % clusters] ?? [];
    const v = centre.map((x) => x + 0.15 * random());
    const norm = Math.hypot(...v);
    out.set(
      v.map((x) => x / norm),
      r * dimension,
    );
  }
  return out;
}

describe("vector cells", () => {
  it("trains a few cells flat and places each vector in its nearest", () => {
    const vectors = clusteredVectors(600, 8, 12);
    const { cells, place } = trainCells(vectors, 8, 12);
    assert.equal(cells.count, 12);
    for (let r = 0; r < 600; r += 37) {
      const v = vectors.subarray(r * 8, (r + 1) * 8);
      assert.equal(place(v), cellOf(cells, v));
    }
  });

  it("trains many cells in two levels, reports progress, and nearly always places vectors in the nearest", () => {
    const dimension = 16;
    const rows = 12000;
    const vectors = clusteredVectors(rows, dimension, 400);
    const progress: CellsProgress[] = [];
    const { cells, place } = trainCells(vectors, dimension, 400, (p) => progress.push(p));
    // Cells are shared out among the coarse groups in proportion, so about as many as asked.
    assert.ok(Math.abs(cells.count - 400) <= 20, `${cells.count} cells`);
    assert.equal(progress.at(-1)?.done, progress.at(-1)?.total);
    assert.ok(progress.length > 2, "progress is reported group by group");
    let nearest = 0;
    for (let r = 0; r < rows; r++) {
      const v = vectors.subarray(r * dimension, (r + 1) * dimension);
      if (place(v) === cellOf(cells, v)) nearest++;
    }
    assert.ok(nearest / rows >= 0.9, `${((100 * nearest) / rows).toFixed(1)}% placed in their nearest cell`);
  });
});
