import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startFixtureServer } from "../../test/support/arxiv-fixture-server.ts";
import { atomResponder, atomResults } from "../../test/support/arxiv-fixtures.ts";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import { type ArxivApiSearch, searchArxivApi } from "./arxiv-api-source.ts";
import { ingest } from "./run.ts";

for (const kind of databaseKinds) {
  describe(`arXiv API search into ${kind.kind}`, { skip: kind.skip }, () => {
    test("pages through the results with a pause between calls; a rerun changes nothing", async () => {
      const server = await startFixtureServer(atomResponder(atomResults));
      try {
        await withStore(kind, async (store) => {
          const pauses: number[] = [];
          const search: ArxivApiSearch = {
            endpoint: `${server.url}/api/query`,
            query: "cat:cs.CL",
            max: 50,
            pageSize: 2,
            http: { sleep: async (ms) => void pauses.push(ms) },
          };
          const first = await ingest(store, searchArxivApi(search));
          assert.deepEqual(first, { inserted: 3, updated: 0, unchanged: 0, failed: 0, errors: [] });
          assert.deepEqual(
            server.requests.map((url) => [url.searchParams.get("start"), url.searchParams.get("max_results")]),
            [
              ["0", "2"],
              ["2", "2"],
            ],
            "stopped when totalResults was reached",
          );
          assert.deepEqual(pauses, [3000], "the documented 3 s between calls, none before the first");
          assert.equal(server.requests[0]?.searchParams.get("search_query"), "cat:cs.CL");

          const paper = await store.papers.get("2501.00010");
          assert.equal(paper?.version, 2);
          assert.equal(paper?.publishedAt, "2025-01-01T18:30:00.000Z");
          assert.equal(paper?.updatedAt, "2025-01-05T09:00:00.000Z");
          assert.deepEqual(paper?.categories, ["cs.LG", "cs.AI", "cs.CL"]);
          assert.equal(paper?.primaryCategory, "cs.LG");
          assert.deepEqual(paper?.authors[0], {
            name: "Bernhard Schölkopf",
            affiliation: "MPI for Intelligent Systems",
          });
          assert.equal(paper?.journalRef, "Proc. RAG 2025");
          assert.equal(paper?.doi, "10.1234/rag.2025.1");
          assert.equal((await store.papers.get("hep-th/9901001"))?.title, "A Note on Branes");

          const second = await ingest(store, searchArxivApi(search));
          assert.deepEqual(second, { inserted: 0, updated: 0, unchanged: 3, failed: 0, errors: [] });
        });
      } finally {
        await server.close();
      }
    });
  });
}

describe("arXiv API paging", () => {
  test("stops at --max, asking only for what is still wanted", async () => {
    const server = await startFixtureServer(atomResponder(atomResults));
    try {
      const ids: string[] = [];
      const search = searchArxivApi({
        endpoint: `${server.url}/api/query`,
        query: "cat:cs.CL",
        max: 3,
        pageSize: 2,
        pauseMs: 0,
      });
      for await (const item of search) if ("record" in item) ids.push(item.record.id);
      assert.deepEqual(ids, ["2501.00010", "hep-th/9901001", "2501.00011"]);
      assert.deepEqual(
        server.requests.map((url) => url.searchParams.get("max_results")),
        ["2", "1"],
      );
    } finally {
      await server.close();
    }
  });

  test("the API's error feed stops the search with its message", async () => {
    const server = await startFixtureServer(atomResponder(atomResults));
    try {
      const search = searchArxivApi({ endpoint: `${server.url}/api/query`, query: "bad", max: 5, pauseMs: 0 });
      await assert.rejects(async () => {
        for await (const _ of search);
      }, /arXiv API rejected the query: incorrect id format/);
    } finally {
      await server.close();
    }
  });
});
