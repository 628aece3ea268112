import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FixtureServer, startFixtureServer } from "../../test/support/arxiv-fixture-server.ts";
import { multiVersionRecord, oaiHarvest, oaiListRecords, oaiResponder } from "../../test/support/arxiv-fixtures.ts";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { Store } from "../store/index.ts";
import type { HttpOptions } from "./http.ts";
import { harvestOai, type OaiRequest, oaiCheckpointKey } from "./oai-source.ts";
import { ingest, type SourceItem } from "./run.ts";

const noWait: HttpOptions = { sleep: async () => {} };

/** What `paperboy ingest oai` does: resume from saved state, store with checkpoints, forget the state when done. */
async function harvestInto(store: Store, request: OaiRequest, http: HttpOptions = noWait) {
  const key = oaiCheckpointKey(request);
  const summary = await ingest(store, harvestOai({ ...request, resumeFrom: await store.ingestState.get(key), http }), {
    checkpointKey: key,
  });
  await store.ingestState.delete(key);
  return summary;
}

async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const all: SourceItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const expectedFailure = "OAI page 2 record 2 (oai:arXiv.org:2501.00012): title is missing";

for (const kind of databaseKinds) {
  describe(`OAI-PMH harvest into ${kind.kind}`, { skip: kind.skip }, () => {
    test("follows resumption tokens, waits out a 503, skips the malformed record; a rerun changes nothing", async () => {
      const server = await startFixtureServer(
        oaiResponder(oaiHarvest, { busyOnce: { page: "6960524|2", retryAfter: "7" } }),
      );
      try {
        await withStore(kind, async (store) => {
          const waits: number[] = [];
          const http: HttpOptions = { sleep: async (ms) => void waits.push(ms) };
          const request = { endpoint: `${server.url}/oai`, from: "2025-01-01", set: "cs" };

          const first = await harvestInto(store, request, http);
          assert.deepEqual(first, { inserted: 4, updated: 0, unchanged: 0, failed: 1, errors: [expectedFailure] });
          assert.deepEqual(waits, [7000], "waited as long as Retry-After said, once");
          assert.equal(server.requests[0]?.searchParams.get("set"), "cs");
          assert.equal(server.requests[0]?.searchParams.get("metadataPrefix"), "arXiv");

          const multiVersion = await store.papers.get("2501.00010");
          assert.equal(multiVersion?.title, "Scaling Laws for Retrieval-Augmented Models");
          assert.deepEqual(multiVersion?.categories, ["cs.LG", "cs.AI", "cs.CL"]);
          assert.equal(multiVersion?.publishedAt, "2025-01-01T00:00:00.000Z");
          assert.equal(multiVersion?.updatedAt, "2025-01-05T00:00:00.000Z");
          assert.equal(multiVersion?.githubRepo, "https://github.com/example/rag-scaling");
          assert.equal(multiVersion?.authors[0]?.name, "Bernhard Schölkopf");
          const oldStyle = await store.papers.get("hep-th/9901001");
          assert.equal(oldStyle?.doi, "10.1016/S0550-3213(99)00001-1");
          assert.equal(await store.papers.get("2501.00012"), null);
          const day = await store.feed.range({ from: "2025-01-02", to: "2025-01-02" });
          assert.deepEqual(day.items.map((i) => i.paper.id).sort(), ["2501.00011", "2501.00013"]);

          const second = await harvestInto(store, request, http);
          assert.deepEqual(second, { inserted: 0, updated: 0, unchanged: 4, failed: 1, errors: [expectedFailure] });
          assert.equal(await store.papers.count(), 4);

          const revised = multiVersionRecord
            .replace("<updated>2025-01-05</updated>", "<updated>2025-01-09</updated>")
            .replace("Scaling Laws for", "Revised Scaling Laws for");
          const later = await startFixtureServer(
            oaiResponder(new Map([[null, oaiListRecords([revised], { value: "", cursor: 0, size: 1 })]])),
          );
          try {
            const third = await harvestInto(store, { endpoint: `${later.url}/oai`, from: "2025-01-09" });
            assert.deepEqual(third, { inserted: 0, updated: 1, unchanged: 0, failed: 0, errors: [] });
          } finally {
            await later.close();
          }
          const revisedPaper = await store.papers.get("2501.00010");
          assert.equal(revisedPaper?.title, "Revised Scaling Laws for Retrieval-Augmented Models");
          assert.equal(revisedPaper?.updatedAt, "2025-01-09T00:00:00.000Z");
          assert.equal(revisedPaper?.publishedAt, "2025-01-01T00:00:00.000Z");
        });
      } finally {
        await server.close();
      }
    });

    test("a page that stalls halfway is given up on after the timeout; the rerun resumes from it", async () => {
      const server = await startFixtureServer(oaiResponder(oaiHarvest, { stallOnce: "6960524|2" }));
      try {
        await withStore(kind, async (store) => {
          const request = { endpoint: `${server.url}/oai`, from: "2025-01-01" };
          const http = { ...noWait, timeoutMs: 300 };
          await assert.rejects(harvestInto(store, request, http), /resumptionToken=6960524%7C2 took longer than 0.3 s/);
          assert.equal(await store.papers.count(), 2, "page 1 is kept");
          await harvestInto(store, request, http);
          assert.equal(await store.papers.count(), 4);
        });
      } finally {
        await server.close();
      }
    });

    test("a harvest that crashed on page 2 resumes from its saved resumption token", async () => {
      const server = await startFixtureServer(oaiResponder(oaiHarvest, { failOnce: "6960524|2" }));
      try {
        await withStore(kind, async (store) => {
          const request = { endpoint: `${server.url}/oai`, from: "2025-01-01" };
          await assert.rejects(harvestInto(store, request), /cannot fetch .*resumptionToken=6960524%7C2/);
          assert.equal(await store.papers.count(), 2, "page 1 was stored before page 2 was asked for");
          assert.equal(await store.ingestState.get(oaiCheckpointKey(request)), JSON.stringify({ token: "6960524|2" }));

          const crashedAfter = server.requests.length;
          const rerun = await harvestInto(store, request);
          assert.equal(server.requests[crashedAfter]?.searchParams.get("resumptionToken"), "6960524|2");
          assert.equal(
            server.requests.slice(crashedAfter).some((url) => url.searchParams.has("from")),
            false,
            "page 1 was not fetched again",
          );
          assert.deepEqual(rerun, {
            inserted: 2,
            updated: 0,
            unchanged: 0,
            failed: 1,
            errors: ["OAI page 1 record 2 (oai:arXiv.org:2501.00012): title is missing"],
          });
          assert.equal(await store.papers.count(), 4);
          assert.equal(await store.ingestState.get(oaiCheckpointKey(request)), null, "a finished harvest forgets");
        });
      } finally {
        await server.close();
      }
    });
  });
}

describe("OAI-PMH answers", () => {
  let server: FixtureServer;
  before(async () => {
    server = await startFixtureServer(oaiResponder(oaiHarvest));
  });
  after(() => server.close());

  test("noRecordsMatch is a harvest of nothing", async () => {
    assert.deepEqual(
      await collect(harvestOai({ endpoint: `${server.url}/oai`, from: "2030-01-01", http: noWait })),
      [],
    );
  });

  test("badArgument stops the harvest with the server's reason", async () => {
    await assert.rejects(
      collect(harvestOai({ endpoint: `${server.url}/oai`, from: "2025-01-01", set: "nonsense", http: noWait })),
      /badArgument: Invalid set: nonsense/,
    );
  });

  test("an expired saved token starts the harvest again from the beginning", async () => {
    const notices: string[] = [];
    const items = await collect(
      harvestOai({
        endpoint: `${server.url}/oai`,
        from: "2025-01-01",
        resumeFrom: JSON.stringify({ token: "6960524|expired" }),
        http: { ...noWait, onNotice: (message) => notices.push(message) },
      }),
    );
    assert.equal(items.length, 5, "all five records (one malformed), the deleted one left out");
    assert.match(notices.join("\n"), /expired/);
  });

  test("a server that stays busy is given up on after the retries, naming the status", async () => {
    const busy = await startFixtureServer(() => ({ status: 503, headers: { "retry-after": "1" }, body: "busy" }));
    try {
      await assert.rejects(
        collect(harvestOai({ endpoint: `${busy.url}/oai`, from: "2025-01-01", http: { ...noWait, maxRetries: 2 } })),
        /HTTP 503 .*after 2 retries/,
      );
      assert.equal(busy.requests.length, 3);
    } finally {
      await busy.close();
    }
  });
});
