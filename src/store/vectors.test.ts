import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { SqliteVectors } from "./sqlite/vectors.ts";

const paper = (id: string, categories: string[]): PaperRecord => ({
  id,
  title: `Paper ${id}`,
  abstract: "Text.",
  categories,
  publishedAt: "2024-01-01T00:00:00.000Z",
});

const unit = (...values: number[]) => {
  const v = Float32Array.from(values);
  const norm = Math.hypot(...values);
  return v.map((x) => x / norm);
};

for (const kind of databaseKinds) {
  describe(`paper vectors on ${kind.kind}`, { skip: kind.skip }, () => {
    it("stores vectors of one embedder, finds nearest papers, and re-queues edited ones", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([
          paper("2401.00001", ["cs.CL"]),
          paper("2401.00002", ["cs.LG"]),
          paper("2401.00003", ["cs.CL"]),
        ]);
        assert.equal(await store.vectors.current(), null);
        assert.deepEqual(await store.vectors.useEmbedder("test:3", 3), { reset: true });
        assert.deepEqual(await store.vectors.useEmbedder("test:3", 3), { reset: false });
        assert.equal(await store.vectors.countWithoutVectors(), 3);

        const pending = await store.vectors.papersWithoutVectors(0, 2);
        assert.deepEqual(
          pending.map((p) => p.id),
          ["2401.00001", "2401.00002"],
        );
        const rest = await store.vectors.papersWithoutVectors(pending[1]?.pk ?? 0, 10);
        assert.deepEqual(
          rest.map((p) => p.id),
          ["2401.00003"],
        );
        const [a, b, c] = [...pending, ...rest].map((p) => p.pk) as [number, number, number];
        await store.vectors.put([
          { pk: a, vector: unit(1, 0, 0) },
          { pk: b, vector: unit(1, 1, 0) },
          { pk: c, vector: unit(0, 0, 1) },
        ]);
        await store.vectors.ensureIndex();
        assert.equal(await store.vectors.countWithoutVectors(), 0);

        const near = await store.vectors.nearest(unit(1, 0.1, 0), 2);
        assert.deepEqual(
          near.map((h) => h.id),
          ["2401.00001", "2401.00002"],
        );
        assert.ok((near[0]?.distance ?? 1) < 0.01);
        const inCl = await store.vectors.nearest(unit(1, 0.1, 0), 2, { categories: ["cs.CL"] });
        assert.deepEqual(
          inCl.map((h) => h.id),
          ["2401.00001", "2401.00003"],
        );
        assert.deepEqual([...((await store.vectors.vectorOf("2401.00003")) ?? [])], [0, 0, 1]);
        assert.equal(await store.vectors.vectorOf("2401.09999"), null);

        // Replacing a vector keeps one per paper.
        await store.vectors.put([{ pk: c, vector: unit(1, 0, 0) }]);
        assert.equal((await store.vectors.nearest(unit(1, 0, 0), 10)).length, 3);

        await store.papers.upsertBatch([{ ...paper("2401.00002", ["cs.LG"]), abstract: "New text." }]);
        assert.deepEqual(
          (await store.vectors.papersWithoutVectors(0, 10)).map((p) => p.id),
          ["2401.00002"],
        );

        // Another embedder's vectors are not comparable: the table starts afresh.
        assert.deepEqual(await store.vectors.useEmbedder("other:4", 4), { reset: true });
        assert.equal(await store.vectors.countWithoutVectors(), 3);
        assert.deepEqual(await store.vectors.current(), { embedder: "other:4", dimension: 4 });
      }));

    it("keeps trained models", () =>
      withStore(kind, async (store) => {
        assert.equal(await store.vectors.loadModel("builtin"), null);
        await store.vectors.saveModel("builtin", Uint8Array.from([1, 2, 3]));
        await store.vectors.saveModel("builtin", Uint8Array.from([4, 5]));
        assert.deepEqual([...((await store.vectors.loadModel("builtin"))?.data ?? [])], [4, 5]);
      }));
  });
}

// The cells are SQLite's own index; PostgreSQL's HNSW index is covered by the tests above.
for (const kind of databaseKinds.filter((k) => k.kind === "sqlite")) {
  describe("paper vectors in cells on sqlite", () => {
    // Deterministic vectors around four directions, so cells have something to find.
    const vectorFor = (i: number) => {
      const v = new Float32Array(8);
      v[i % 4] = 1;
      for (let d = 0; d < 8; d++) v[d] = (v[d] ?? 0) + 0.3 * Math.sin(i * (d + 1) * 0.7);
      return unit(...v);
    };

    it("splits many vectors into cells, searches the nearest cells, and keeps new vectors in them", () =>
      withStore(kind, async (store) => {
        const ids = Array.from({ length: 400 }, (_, i) => `2401.${String(i).padStart(5, "0")}`);
        await store.papers.upsertBatch(ids.map((id) => paper(id, ["cs.LG"])));
        await store.vectors.useEmbedder("test:8", 8);
        const pending = await store.vectors.papersWithoutVectors(0, 1000);
        const vectors = new SqliteVectors(store.connection.db, { from: 300, vectorsPerCell: 25, searched: 4 });
        await vectors.put(pending.slice(0, 350).map((p, i) => ({ pk: p.pk, vector: vectorFor(i) })));
        const progress: string[] = [];
        await vectors.ensureIndex((p) => progress.push(`${p.step} ${p.done}/${p.total}`));
        const cells = await store.vectors.loadModel("sqlite-vector-cells");
        assert.ok(cells, "cells are saved once there are enough vectors");
        assert.deepEqual(progress.at(-1), "placing vectors 350/350", "building the cells reports how far it got");

        // Every vector is found again as its own nearest, through the cells.
        for (const i of [0, 1, 2, 3, 77, 349]) {
          const [hit] = await vectors.nearest(vectorFor(i), 1, { categories: [] });
          assert.equal(hit?.id, ids[i]);
        }
        // Vectors added later join a cell and are found as well.
        await vectors.put(pending.slice(350).map((p, i) => ({ pk: p.pk, vector: vectorFor(350 + i) })));
        const [late] = await vectors.nearest(vectorFor(399), 1, { categories: [] });
        assert.equal(late?.id, ids[399]);
        // Far fewer vectors than doubling: the cells stay as they are.
        await vectors.ensureIndex();
        assert.equal((await store.vectors.loadModel("sqlite-vector-cells"))?.updatedAt, cells.updatedAt);
      }));

    it("brings a table made with vec0's default chunks to today's layout, each vector kept in its cell", () =>
      withStore(kind, async (store) => {
        const ids = Array.from({ length: 60 }, (_, i) => `2401.${String(i).padStart(5, "0")}`);
        await store.papers.upsertBatch(ids.map((id) => paper(id, ["cs.LG"])));
        await store.vectors.useEmbedder("test:8", 8);
        const sqlite = store.connection.sqlite;
        assert.ok(sqlite);
        // The table as an earlier version made it: cells, but no chunk size.
        sqlite.exec(`DROP TABLE paper_vectors;
          CREATE VIRTUAL TABLE paper_vectors USING vec0(
            cell integer partition key, embedding float[8] distance_metric=cosine)`);
        const pending = await store.vectors.papersWithoutVectors(0, 100);
        const insert = sqlite.prepare("INSERT INTO paper_vectors(rowid, cell, embedding) VALUES (?, ?, ?)");
        for (const [i, p] of pending.entries())
          insert.run(BigInt(p.pk), BigInt(i % 3), Buffer.from(vectorFor(i).buffer));
        const cellsBefore = sqlite.prepare("SELECT rowid, cell FROM paper_vectors ORDER BY rowid").all();

        await new SqliteVectors(store.connection.db, { from: 1000, vectorsPerCell: 25, searched: 4 }).ensureIndex();
        const made = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'paper_vectors'").get() as {
          sql: string;
        };
        assert.match(made.sql, /chunk_size=128/);
        assert.deepEqual(sqlite.prepare("SELECT rowid, cell FROM paper_vectors ORDER BY rowid").all(), cellsBefore);
        const found = await store.vectors.vectorsOf(pending.slice(0, 5).map((p) => p.id));
        assert.deepEqual(
          [...found.values()].map((v) => [...v]),
          [0, 1, 2, 3, 4].map((i) => [...vectorFor(i)]),
        );
      }));
  });
}
