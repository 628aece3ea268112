import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { parseQuery } from "../search/query.ts";
import type { Store } from "./index.ts";

function paper(id: string, title: string, abstract: string, extra: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    title,
    abstract,
    authors: [{ name: "Ada Lovelace" }],
    categories: ["cs.LG"],
    publishedAt: "2024-06-01T00:00:00.000Z",
    ...extra,
  };
}

const corpus: PaperRecord[] = [
  paper("2401.00001", "Filtering pretraining data at scale", "We filter web data for language models.", {
    upvotes: 3,
    publishedAt: "2024-01-10T00:00:00.000Z",
  }),
  paper(
    "2401.00002",
    "Graph neural networks for molecules",
    "Message passing over molecular graphs; filtering noise.",
    {
      authors: [{ name: "Yann LeCun" }, { name: "Ada Lovelace" }],
      categories: ["cs.LG", "q-bio.BM"],
      upvotes: 40,
      publishedAt: "2024-03-01T00:00:00.000Z",
    },
  ),
  paper("2401.00003", "Attention is all you need, again", "Transformers revisited for machine translation.", {
    categories: ["cs.CL"],
    upvotes: 10,
    publishedAt: "2024-05-01T00:00:00.000Z",
  }),
  paper("2401.00004", "A survey of language models", "Large language models filter, rank and generate text.", {
    authors: [{ name: "Grace Hopper" }],
    categories: ["cs.CL"],
    upvotes: 1,
    publishedAt: "2024-07-01T00:00:00.000Z",
  }),
];

const ids = async (store: Store, text: string, sort?: "relevance" | "date" | "upvotes") =>
  (await store.search.keyword(parseQuery(text).query, { sort })).hits.map((h) => h.id);

for (const kind of databaseKinds) {
  describe(`keyword search on ${kind.kind}`, { skip: kind.skip }, () => {
    it("answers every kind of query a reader types", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(corpus);

        // Stemming: "filters" finds "filtering" and "filter"; a title match outranks an abstract match.
        const filtering = await ids(store, "filters");
        assert.deepEqual(new Set(filtering), new Set(["2401.00001", "2401.00002", "2401.00004"]));
        assert.equal(filtering[0], "2401.00001");

        // More of the asked words ranks higher; any one of them is enough to match.
        assert.deepEqual((await ids(store, "language models filtering"))[0], "2401.00004");

        assert.deepEqual(await ids(store, '"language models"'), ["2401.00004", "2401.00001"]);
        assert.deepEqual(await ids(store, '"models language"'), []);
        assert.deepEqual(await ids(store, "filtering -graph"), ["2401.00001", "2401.00004"]);
        assert.deepEqual(await ids(store, 'filtering -"web data"'), ["2401.00004", "2401.00002"]);
        assert.deepEqual(await ids(store, "title:filtering"), ["2401.00001"]);
        assert.deepEqual(await ids(store, 'author:"yann lecun" filtering'), ["2401.00002"]);
        assert.deepEqual(await ids(store, "author:lecun"), ["2401.00002"]);
        assert.deepEqual(await ids(store, "filtering cat:cs.CL"), ["2401.00004"]);
        assert.deepEqual(await ids(store, "cat:q-bio"), ["2401.00002"]);
        assert.deepEqual(await ids(store, "filtering after:2024-02 before:2024-07"), ["2401.00002"]);
        // Filters alone list the newest papers first.
        assert.deepEqual(await ids(store, "cat:cs.CL"), ["2401.00004", "2401.00003"]);
        assert.deepEqual(await ids(store, "-filtering"), ["2401.00003"]);
        assert.deepEqual(await ids(store, "nothing-like-this-exists"), []);
      }));

    it("sorts by date or upvotes and pages with a total", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(corpus);
        assert.deepEqual(await ids(store, "filtering", "date"), ["2401.00004", "2401.00002", "2401.00001"]);
        assert.deepEqual(await ids(store, "filtering", "upvotes"), ["2401.00002", "2401.00001", "2401.00004"]);
        const page = await store.search.keyword(parseQuery("filtering").query, { sort: "date", limit: 1, offset: 1 });
        assert.deepEqual(page, { hits: [{ id: "2401.00002", score: page.hits[0]?.score }], total: 3 });
      }));

    it("ranks a filtered phrase among thousands of matches as ranking them all would", () =>
      withStore(kind, async (store) => {
        const many = Array.from({ length: 6000 }, (_, i) =>
          paper(`2402.${String(i).padStart(5, "0")}`, `Study ${i}`, `A language model${" language".repeat(i % 7)}.`, {
            categories: [i % 2 === 0 ? "cs.CL" : "cs.LG"],
            publishedAt: `${i % 3 === 0 ? 2023 : 2024}-02-01T00:00:00.000Z`,
          }),
        );
        await store.papers.upsertBatch(many);
        const filtered = await store.search.keyword(parseQuery('"language model" cat:cs.CL after:2024').query);
        const everyMatch = await store.search.keyword(parseQuery('"language model"').query, { limit: 6000 });
        const passes = new Set(many.filter((_, i) => i % 2 === 0 && i % 3 !== 0).map((p) => p.id));
        assert.deepEqual(
          filtered.hits.map((h) => h.id),
          everyMatch.hits
            .map((h) => h.id)
            .filter((id) => passes.has(id))
            .slice(0, 20),
        );
        assert.equal(filtered.total, passes.size);

        // Leaving out one paper of thousands: the others rank as they would without the exclusion.
        const excluding = await store.search.keyword(parseQuery('language -"study 3"').query);
        const everyLanguage = await store.search.keyword(parseQuery("language").query, { limit: 6000 });
        assert.deepEqual(
          excluding.hits.map((h) => h.id),
          everyLanguage.hits
            .map((h) => h.id)
            .filter((id) => id !== "2402.00003")
            .slice(0, 20),
        );
        // Past the first thousand, the total is the database's estimate.
        assert.ok(excluding.total >= 1000);
      }));

    it("reads a sign before a number as part of pasted text, not as an exclusion", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([
          paper("2403.00001", "E2f-1, -2 and -3 in intestinal cells", "Triple knockout cells and apoptosis."),
          paper("2403.00002", "Nucleosome positioning", "The +1 nucleosome at promoters."),
          paper("2403.00003", "Nucleosome turnover", "Histone exchange in yeast."),
        ]);
        assert.equal((await ids(store, "E2f-1, -2, -3 cells do not exhibit apoptosis"))[0], "2403.00001");
        // "+1" is not a required word: a nucleosome paper without the number is still found.
        assert.deepEqual((await ids(store, "destabilizing +1 nucleosomes")).slice(0, 2), ["2403.00002", "2403.00003"]);
        assert.deepEqual(await ids(store, "nucleosome -turnover"), ["2403.00002"]);
      }));

    it("treats query syntax inside words as text", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(corpus);
        for (const hostile of ['"', "NEAR(a b)", "title:", "a OR", "*", "'; DROP TABLE papers; --", "col:umn", "\\"]) {
          await ids(store, hostile);
        }
        assert.equal(await store.papers.count(), corpus.length);
      }));
  });
}
