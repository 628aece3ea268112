import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { loadConfig } from "../src/config/index.ts";
import { startServer } from "../src/server/index.ts";
import { Store } from "../src/store/index.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";

/**
 * A stand-in OpenAI-compatible embeddings server: one dimension per topic, from the words it
 * sees. `failing` makes it answer 503, like a model server that is down.
 */
async function startEmbeddingsServer(options: { failing?: boolean } = {}) {
  const inputs: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      if (options.failing) {
        res.writeHead(503).end("model is loading");
        return;
      }
      const { input } = JSON.parse(body) as { input: string[] };
      inputs.push(...input);
      const vector = (text: string) => [
        /robot/i.test(text) ? 1 : 0,
        /speech|audio/i.test(text) ? 1 : 0,
        /video/i.test(text) ? 1 : 0,
        0.01,
      ];
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: input.map((text, index) => ({ index, embedding: vector(text) })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    inputs,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `paperboy serve` on an empty database (so it loads the demo) with the OpenAI-compatible embedder at `url`. */
function serveWithEmbeddings(db: TestDatabase, url: string) {
  return startServer(
    loadConfig({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      PAPERBOY_LOG_LEVEL: "silent",
      PAPERBOY_EMBEDDER: "openai",
      PAPERBOY_EMBEDDINGS_URL: url,
      PAPERBOY_EMBEDDINGS_MODEL: "topics",
    }),
  );
}

for (const kind of databaseKinds) {
  describe(`paperboy serve with PAPERBOY_EMBEDDER=openai on ${kind.kind}`, { skip: kind.skip }, () => {
    it("embeds the demo corpus with that server and embeds queries with it too", async () => {
      const db = await kind.create();
      const embeddings = await startEmbeddingsServer();
      const server = await serveWithEmbeddings(db, embeddings.url);
      try {
        assert.ok(embeddings.inputs.length > 1000, "every demo paper was sent to the embeddings server");
        const query = "machines that pick things up";
        const page = await (await fetch(`${server.url}/search?q=${encodeURIComponent(query)}&mode=semantic`)).text();
        assert.match(page, /matched by meaning/);
        assert.ok(embeddings.inputs.includes(query), "the query went to the configured embedder");

        const api = await fetch(`${server.url}/api/papers/search?q=${encodeURIComponent("robot learning")}`);
        assert.equal(api.status, 200);
        assert.ok(((await api.json()) as unknown[]).length > 0);
        assert.ok(embeddings.inputs.includes("robot learning"), "the API searches with the configured embedder too");
      } finally {
        await server.close();
        await embeddings.close();
        await db.dispose();
      }
    });

    it("still starts, searching by keywords, when the embeddings server is down", async () => {
      const db = await kind.create();
      const embeddings = await startEmbeddingsServer({ failing: true });
      const server = await serveWithEmbeddings(db, embeddings.url);
      try {
        const page = await fetch(`${server.url}/search?q=robot`);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /matched by the words/);
      } finally {
        await server.close();
        await embeddings.close();
      }
      const store = await Store.open(db.target);
      try {
        assert.ok((await store.papers.count()) > 1000, "the demo corpus is there");
        assert.equal(await store.vectors.current(), null);
      } finally {
        await store.close();
        await db.dispose();
      }
    });
  });
}
