import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { createMcpServer } from "../src/mcp/server.ts";
import type { Store } from "../src/store/index.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const internalUrl = "http://10.0.0.5:8080/v1/embeddings";
const upstreamBody = "quota exceeded for key sk-secret";
const outage = new Error(`embeddings server ${internalUrl} answered 500: ${upstreamBody}`);

/** A client of createMcpServer over an in-memory pipe, and the log lines the server wrote. */
async function connect(store: Store, embedder: Parameters<typeof createMcpServer>[0]["embedder"]) {
  const logged: string[] = [];
  const logger = pino(
    { level: "error" },
    new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  );
  const server = createMcpServer({ store, baseUrl: "https://papers.example.org", embedder, logger });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "paperboy-test", version: "1.0.0" });
  await client.connect(clientSide);
  return { client, logged };
}

const everything = (value: unknown) => JSON.stringify(value);

for (const kind of databaseKinds) {
  describe(`MCP answers when something behind it fails, on ${kind.kind}`, { skip: kind.skip }, () => {
    it("never pass an internal URL or an upstream body to the assistant, and log the cause", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([
          { id: "2401.00001", title: "Sparse attention", abstract: "Attention, sparse.", publishedAt: "2024-01-01" },
        ]);
        await store.vectors.useEmbedder("test:2", 2);
        await store.vectors.put([
          { pk: (await store.vectors.papersWithoutVectors(0, 1))[0]?.pk ?? 0, vector: Float32Array.of(1, 0) },
        ]);
        const failing = {
          id: "test:2",
          embed: async () => {
            throw outage;
          },
        };
        const { client, logged } = await connect(store, failing);
        try {
          const searched = await client.callTool({ name: "search_papers", arguments: { query: "sparse attention" } });
          assert.ok(!everything(searched).includes("10.0.0.5"), everything(searched));
          assert.ok(!everything(searched).includes("sk-secret"), everything(searched));

          // The database itself failing mid-request, with a connection string in its message.
          store.papers.get = async () => {
            throw new Error("connect ECONNREFUSED postgres://paperboy:hunter2@10.0.0.7:5432/paperboy");
          };
          const got = await client.callTool({ name: "get_paper", arguments: { id: "2401.00001" } });
          assert.equal(got.isError, true);
          assert.deepEqual(got.content, [
            { type: "text", text: "get_paper failed on the server; please try again later." },
          ]);
          assert.ok(logged.some((line) => line.includes("hunter2") && line.includes('"tool":"get_paper"')));
          await assert.rejects(
            client.readResource({ uri: "paper://2401.00001" }),
            (error: Error) => !error.message.includes("10.0.0.7") && /failed on the server/.test(error.message),
          );
        } finally {
          await client.close();
        }
      }));
  });
}
