import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";

function record(id: string, publishedAt: string, extra: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    title: `Paper ${id}`,
    abstract: "About things.",
    authors: [{ name: "Ada Lovelace" }, { name: "Alan Turing" }],
    categories: ["cs.LG"],
    publishedAt,
    ...extra,
  };
}

const records: PaperRecord[] = [
  record("2501.00001", "2025-01-01T10:00:00.000Z", { upvotes: 5, feed: { date: "2025-01-02", source: "hf" } }),
  record("2501.00002", "2025-01-03T10:00:00.000Z", {
    authors: [{ name: "Alan Turing" }],
    categories: ["cs.CL", "cs.LG"],
    upvotes: 50,
    feed: { date: "2025-01-06", source: "hf", submittedBy: { name: "akhaliq", fullname: "AK" } },
  }),
  record("2501.00003", "2025-01-05T10:00:00.000Z", {
    authors: [{ name: "Grace Hopper" }, { name: "Grace Hopper" }],
    categories: ["cs.CL"],
    feed: { date: "2025-01-06", source: "hf" },
  }),
  record("hep-th/9901001", "1999-01-04T10:00:00.000Z", { categories: ["hep-th"] }),
];

for (const kind of databaseKinds) {
  describe(`listings on ${kind.kind}`, { skip: kind.skip }, () => {
    it("lists an author's papers newest first, once each, with the total", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(records);
        const turing = await store.listings.byAuthor("Alan Turing", { limit: 10, offset: 0 });
        assert.equal(turing.total, 3);
        assert.deepEqual(
          turing.papers.map((p) => p.id),
          ["2501.00002", "2501.00001", "hep-th/9901001"],
        );
        const second = await store.listings.byAuthor("Alan Turing", { limit: 2, offset: 2 });
        assert.deepEqual(
          second.papers.map((p) => p.id),
          ["hep-th/9901001"],
        );
        const hopper = await store.listings.byAuthor("Grace Hopper", { limit: 10, offset: 0 });
        assert.equal(hopper.total, 1);
        assert.equal(hopper.papers.length, 1);
        assert.equal((await store.listings.byAuthor("Nobody", { limit: 10, offset: 0 })).total, 0);
      }));

    it("lists a category's papers, cross-lists included, newest first", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(records);
        const lg = await store.listings.byCategory("cs.LG", { limit: 10, offset: 0 });
        assert.deepEqual(
          lg.papers.map((p) => p.id),
          ["2501.00002", "2501.00001"],
        );
        assert.equal(lg.total, 2);
        const cl = await store.listings.byCategory("cs.CL", { limit: 1, offset: 0 });
        assert.deepEqual(
          cl.papers.map((p) => p.id),
          ["2501.00003"],
        );
        assert.equal(cl.total, 2);
      }));

    it("pages through a large category newest first, as it does a small one", () =>
      withStore(kind, async (store) => {
        const many = Array.from({ length: 1005 }, (_, i) =>
          record(
            `2502.${String(i).padStart(5, "0")}`,
            new Date(Date.UTC(2025, 1, 1) + (i % 300) * 3600_000).toISOString(),
            {
              categories: i % 2 ? ["math.CO", "cs.LG"] : ["cs.LG"],
            },
          ),
        );
        await store.papers.upsertBatch([...records, ...many]);
        const expected = [...many, ...records.slice(0, 2)]
          .sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? "") || b.id.localeCompare(a.id))
          .map((r) => r.id);
        const first = await store.listings.byCategory("cs.LG", { limit: 50, offset: 0 });
        assert.equal(first.total, 1007);
        assert.deepEqual(
          first.papers.map((p) => p.id),
          expected.slice(0, 50),
        );
        const deep = await store.listings.byCategory("cs.LG", { limit: 50, offset: 980 });
        assert.deepEqual(
          deep.papers.map((p) => p.id),
          expected.slice(980, 1030),
        );
      }));

    it("orders trending papers by the stored score", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(records);
        const trending = await store.listings.trending({ limit: 3, offset: 0 });
        assert.equal(trending.total, 4);
        const scores = trending.papers.map((p) => p.trendingScore);
        assert.deepEqual(
          scores,
          [...scores].sort((a, b) => b - a),
        );
        assert.equal(trending.papers[0]?.id, "2501.00002");
      }));

    it("describes the feed around a range: day counts, neighbours and ends", () =>
      withStore(kind, async (store) => {
        assert.deepEqual(await store.listings.calendar("2025-01-01", "2025-01-31"), {
          days: [],
          previous: null,
          next: null,
          first: null,
          last: null,
        });
        await store.papers.upsertBatch(records);
        assert.deepEqual(await store.listings.calendar("2025-01-01", "2025-01-31"), {
          days: [
            { day: "2025-01-02", papers: 1 },
            { day: "2025-01-06", papers: 2 },
          ],
          previous: null,
          next: null,
          first: "2025-01-02",
          last: "2025-01-06",
        });
        assert.deepEqual(await store.listings.calendar("2025-01-03", "2025-01-05"), {
          days: [],
          previous: "2025-01-02",
          next: "2025-01-06",
          first: "2025-01-02",
          last: "2025-01-06",
        });
      }));

    it("knows which days a paper is on the feed, and who put it there", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(records);
        assert.deepEqual(await store.listings.feedEntriesOf("2501.00002"), [
          { day: "2025-01-06", source: "hf", submittedBy: { name: "akhaliq", fullname: "AK" } },
        ]);
        assert.deepEqual(await store.listings.feedEntriesOf("hep-th/9901001"), []);
      }));

    it("counts the papers of every category, and those without one", () =>
      withStore(kind, async (store) => {
        // The last is known only from the Hugging Face feed: it has no arXiv categories.
        await store.papers.upsertBatch([
          ...records,
          record("2501.00004", "2025-01-05T10:00:00.000Z", { categories: [] }),
        ]);
        assert.deepEqual(await store.listings.categoryCounts(), {
          categories: [
            { category: "cs.CL", papers: 2 },
            { category: "cs.LG", papers: 2 },
            { category: "hep-th", papers: 1 },
          ],
          uncategorized: 1,
        });
      }));
  });
}
