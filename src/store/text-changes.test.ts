import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import type { Store } from "./index.ts";

const record = (changes: Partial<PaperRecord> = {}): PaperRecord => ({
  id: "2401.00001",
  title: "Sparse attention for long documents",
  abstract: "We make attention sparse.",
  authors: [{ name: "Ada Lovelace" }],
  categories: ["cs.CL"],
  publishedAt: "2024-01-01T00:00:00.000Z",
  upvotes: 1,
  ...changes,
});

async function embedAll(store: Store): Promise<void> {
  await store.vectors.useEmbedder("test:2", 2);
  const pending = await store.vectors.papersWithoutVectors(0, 100);
  await store.vectors.put(pending.map((p) => ({ pk: p.pk, vector: Float32Array.of(0.6, 0.8) })));
}

/** FTS5's structure record, which every write to the index rewrites. */
async function ftsStructure(store: Store): Promise<string> {
  const { rows } = await sql<{ block: Uint8Array }>`SELECT block FROM papers_fts_data WHERE id = 10`.execute(
    store.connection.db,
  );
  return Buffer.from(rows[0]?.block ?? []).toString("hex");
}

for (const kind of databaseKinds) {
  describe(`updates that leave a paper's text alone on ${kind.kind}`, { skip: kind.skip }, () => {
    it("keep its vector (and on SQLite its index row); a new title or abstract re-queues it", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([record()]);
        await embedAll(store);
        const index = kind.kind === "sqlite" ? await ftsStructure(store) : "";

        assert.deepEqual(await store.papers.upsertBatch([record({ upvotes: 42, numComments: 3 })]), ["updated"]);
        assert.equal((await store.papers.get("2401.00001"))?.upvotes, 42);
        assert.equal(await store.vectors.countWithoutVectors(), 0, "an upvote keeps the vector");
        assert.ok(await store.vectors.vectorOf("2401.00001"));
        if (kind.kind === "sqlite") assert.equal(await ftsStructure(store), index, "the text index is not rewritten");
        assert.deepEqual(
          (await store.search.keyword({ ...noQuery, anyWords: ["documents"] })).hits.map((h) => h.id),
          ["2401.00001"],
        );

        await store.papers.upsertBatch([record({ title: "Dense attention for short texts" })]);
        assert.equal(await store.vectors.countWithoutVectors(), 1, "a new title needs a new vector");
        if (kind.kind === "sqlite") assert.notEqual(await ftsStructure(store), index);
        assert.deepEqual((await store.search.keyword({ ...noQuery, anyWords: ["documents"] })).hits, []);
        await embedAll(store);
        await store.papers.upsertBatch([record({ title: "Dense attention for short texts", abstract: "Dense." })]);
        assert.equal(await store.vectors.countWithoutVectors(), 1, "so does a new abstract");
      }));
  });
}

const noQuery = { anyWords: [], phrases: [], titlePhrases: [], authors: [], excluded: [], categories: [] };

const sqlite = databaseKinds.find((k) => k.kind === "sqlite");
if (!sqlite) throw new Error("the SQLite test database is missing");

describe("migration 009 on a SQLite database embedded before it", () => {
  it("gives the existing vector trigger the same condition", () =>
    withStore(sqlite, async (store) => {
      const db = store.connection.db;
      await store.papers.upsertBatch([record()]);
      await embedAll(store);
      // As `paperboy embed` left it before 009, and with 009 not yet applied while 010 is: branches'
      // migrations land in any order.
      await sql`DROP TRIGGER paper_vectors_stale`.execute(db);
      await sql`CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, abstract ON papers BEGIN
        DELETE FROM paper_vectors WHERE rowid = old.pk;
      END`.execute(db);
      await sql`DELETE FROM kysely_migration WHERE name = '009_sqlite_text_change_triggers'`.execute(db);

      assert.deepEqual(await store.migrate(), ["009_sqlite_text_change_triggers"]);
      await store.papers.upsertBatch([record({ upvotes: 7 })]);
      assert.equal(await store.vectors.countWithoutVectors(), 0);
    }));
});
