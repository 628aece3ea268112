import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { DEMO_CORPUS } from "../src/server/demo.ts";
import { testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { embedWithBuiltinModel } from "./support/embedding.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");

type Listed = { id: string; title: string; upvotes: number; similarity?: number };

function textOf(result: Awaited<ReturnType<Client["callTool"]>>): string {
  const [first] = result.content as { type: string; text: string }[];
  assert.equal(first?.type, "text");
  return first.text;
}

/** What an assistant does in a session: discover the tools, then use each one. */
async function useEveryTool(transport: Transport) {
  const client = new Client({ name: "paperboy-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      "daily_papers",
      "get_collection",
      "get_paper",
      "list_organization_papers",
      "search_papers",
      "similar_papers",
      "trending",
    ]);

    const found = JSON.parse(
      textOf(
        await client.callTool({
          name: "search_papers",
          arguments: { query: "EnvHarness static environments", limit: 5 },
        }),
      ),
    ) as Listed[];
    assert.equal(found[0]?.id, "2608.19880");

    const paper = textOf(await client.callTool({ name: "get_paper", arguments: { id: "2608.19880" } }));
    assert.match(paper, /^# EnvHarness: Awakening Static Worlds for Agent Learning/);
    const unknown = await client.callTool({ name: "get_paper", arguments: { id: "2608.99999" } });
    assert.equal(unknown.isError, true);

    const day = JSON.parse(
      textOf(await client.callTool({ name: "daily_papers", arguments: { date: "2026-08-21" } })),
    ) as { total: number; papers: Listed[] };
    assert.equal(day.total, 17);
    assert.equal(day.papers[0]?.id, "2608.19880", "most upvoted first");
    const week = JSON.parse(
      textOf(await client.callTool({ name: "daily_papers", arguments: { week: "2026-W34", limit: 100 } })),
    ) as { total: number };
    assert.ok(week.total > day.total);
    const badMonth = await client.callTool({ name: "daily_papers", arguments: { month: "2026-13" } });
    assert.equal(badMonth.isError, true);
    assert.match(textOf(badMonth), /month "2026-13"/);

    const similar = JSON.parse(
      textOf(await client.callTool({ name: "similar_papers", arguments: { id: "2608.19880", limit: 5 } })),
    ) as Listed[];
    assert.equal(similar.length, 5);
    assert.ok(
      similar.every((p) => p.id !== "2608.19880"),
      "never the paper itself",
    );
    const similarities = similar.map((p) => p.similarity ?? Number.NaN);
    assert.deepEqual(
      similarities,
      [...similarities].sort((a, b) => b - a),
      "closest first",
    );

    const trending = JSON.parse(
      textOf(await client.callTool({ name: "trending", arguments: { limit: 3 } })),
    ) as Listed[];
    assert.equal(trending.length, 3);

    const { resources } = await client.listResources();
    assert.equal(resources.length, 17, "the newest feed day");
    const read = await client.readResource({ uri: "paper://2608.19880" });
    assert.match(String((read.contents[0] as { text: string }).text), /^# EnvHarness/);
  } finally {
    await client.close();
  }
}

for (const kind of databaseKinds) {
  describe(`MCP server on ${kind.kind}`, { skip: kind.skip }, () => {
    it("answers the SDK's own client over Streamable HTTP at /mcp and over stdio from `paperboy mcp`", async () => {
      await withStore(kind, async (store, db) => {
        await ingest(store, readJsonLines(DEMO_CORPUS));
        await embedWithBuiltinModel(store);

        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });
        const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
          const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
        });
        try {
          const { port } = server.address() as AddressInfo;
          await useEveryTool(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
        } finally {
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }

        await useEveryTool(
          new StdioClientTransport({
            command: process.execPath,
            args: ["--import", "tsx", "src/cli/main.ts", "mcp"],
            cwd: repoRoot,
            env: { ...process.env, DATABASE_URL: db.url, PAPERBOY_DEMO: "off", PAPERBOY_LOG_LEVEL: "silent" } as Record<
              string,
              string
            >,
            stderr: "inherit",
          }),
        );
      });
    });
  });
}
