import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import { OpenAiEmbedder } from "./embedders/openai.ts";
import { search } from "./index.ts";
import { embedPapers } from "./indexing.ts";
import { queryEmbedderOf } from "./query-embedder.ts";

/** An embeddings server that answers, fails with 500, or holds every request open, as told. */
async function embeddingsServer() {
  const state = { behaviour: "answer" as "answer" | "fail" | "hang" };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      if (state.behaviour === "hang") return;
      if (state.behaviour === "fail") {
        res.writeHead(500).end("upstream exploded");
        return;
      }
      const { input } = JSON.parse(body) as { input: string[] };
      const data = input.map((text, index) => ({ index, embedding: [/graph/.test(text) ? 1 : 0, 1] }));
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sqlite = databaseKinds.find((k) => k.kind === "sqlite");
if (!sqlite) throw new Error("the SQLite test database is missing");

describe("query embedder", () => {
  it("gives up on a failing or silent embeddings server, warns once per query, and search ranks by keywords", () =>
    withStore(sqlite, async (store) => {
      await store.papers.upsertBatch(
        ["Graph coloring", "Protein folding", "Graph neural networks"].map((title, i) => ({
          id: `2405.0000${i + 1}`,
          title,
          abstract: `${title}, studied.`,
          authors: [{ name: "A. Author" }],
          categories: ["cs.LG"],
          publishedAt: "2024-05-01T00:00:00.000Z",
        })),
      );
      const embeddings = await embeddingsServer();
      const model = new OpenAiEmbedder({ url: embeddings.url, model: "m" }, fetch, { query: 200, document: 2000 });
      const warnings: string[] = [];
      const embedder = queryEmbedderOf(model, (error) => warnings.push(String(error)));
      try {
        await embedPapers(store, model);
        const working = await search(store, "graph", { embedder });
        assert.ok(working.kind === "results" && working.mode === "hybrid");
        for (const behaviour of ["fail", "hang"] as const) {
          embeddings.state.behaviour = behaviour;
          const started = Date.now();
          const outcome = await search(store, "graph", { embedder });
          assert.ok(outcome.kind === "results");
          assert.equal(outcome.mode, "keyword");
          assert.equal(outcome.hits.length, 2);
          assert.match(outcome.notices.join(), /Semantic ranking is unavailable right now/);
          assert.ok(Date.now() - started < 1500, `${behaviour}: gave up in time`);
        }
        assert.equal(warnings.length, 2);
        assert.match(warnings[0] ?? "", /answered 500/);
        assert.match(warnings[1] ?? "", /did not answer within 0.2 s/);
      } finally {
        await embeddings.close();
      }
    }));
});
