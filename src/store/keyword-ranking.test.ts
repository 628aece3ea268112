import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { parseQuery } from "../search/query.ts";
import type { Store } from "./index.ts";

const filler = "We study how methods behave across many settings and report results on standard benchmarks.";

function paper(n: number, title: string, abstract: string): PaperRecord {
  return {
    id: `2402.${String(n).padStart(5, "0")}`,
    title,
    abstract,
    authors: [{ name: "Ada Lovelace" }],
    categories: ["cs.LG"],
    publishedAt: "2024-02-01T00:00:00.000Z",
  };
}

const ids = async (store: Store, text: string) =>
  (await store.search.keyword(parseQuery(text).query)).hits.map((h) => h.id);

for (const kind of databaseKinds) {
  describe(`keyword ranking (bm25) on ${kind.kind}`, { skip: kind.skip }, () => {
    it("ranks a paper with the rare word above one full of the common word", () =>
      withStore(kind, async (store) => {
        const common = Array.from({ length: 8 }, (_, i) => paper(i + 10, `Study ${i}`, `Neural networks. ${filler}`));
        await store.papers.upsertBatch([
          ...common,
          paper(1, "Pruning", `Sparse weights. ${filler}`),
          paper(2, "Deep nets", `Networks of networks: networks everywhere. ${filler}`),
        ]);
        const ranked = await ids(store, "sparse networks");
        assert.equal(ranked[0], "2402.00001");
        assert.ok(ranked.indexOf("2402.00001") < ranked.indexOf("2402.00002"));
      }));

    it("ranks a title match above an abstract-only match", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([
          paper(1, "A study of things", `Tokenizers matter. ${filler}`),
          paper(2, "Tokenizers for code", `We compare approaches. ${filler}`),
          paper(3, "Unrelated work", filler),
        ]);
        assert.deepEqual(await ids(store, "tokenizers"), ["2402.00002", "2402.00001"]);
      }));

    it("finds the best of hundreds of matches, a rare word's paper and filtered papers", () =>
      withStore(kind, async (store) => {
        // 800 papers mention both words in passing; the papers about them came first (lowest keys),
        // so only ranking, not recency, can bring them up.
        const crowd = Array.from({ length: 800 }, (_, i) => ({
          ...paper(i + 100, `Study ${i}`, `A graph with a coloring appears here. ${filler}`),
          categories: [i >= 700 ? "cs.CV" : "cs.LG"],
        }));
        await store.papers.upsertBatch([
          paper(1, "Graph coloring heuristics", "Graph coloring: heuristics for coloring every graph."),
          paper(2, "Coloring sparse graphs", "Coloring graphs with few edges."),
          paper(3, "Zebra crossings", "A zebra, a graph and a coloring."),
          ...crowd,
        ]);
        assert.deepEqual((await ids(store, "graph coloring")).slice(0, 2), ["2402.00001", "2402.00002"]);
        assert.equal((await ids(store, "zebra graph coloring"))[0], "2402.00003");
        const vision = await store.search.keyword(parseQuery("graph coloring cat:cs.CV").query);
        assert.equal(vision.total, 100);
        assert.equal(vision.hits.length, 20);
      }));
  });
}
