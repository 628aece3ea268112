import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { createMcpServer } from "../src/mcp/server.ts";
import type { PaperRecord } from "../src/papers/record.ts";
import { builtinQueryEmbedder } from "../src/search/query-embedder.ts";
import type { Store, User } from "../src/store/index.ts";
import { communityApp, PageClient, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const papers: PaperRecord[] = [
  {
    id: "2608.70001",
    title: "Robots That Read",
    authors: [{ name: "Fei-Fei Li" }],
    categories: ["cs.RO"],
    publishedAt: "2026-08-20T17:00:00.000Z",
    upvotes: 7,
    hf: { organization: { name: "nvidia", fullname: "NVIDIA" } },
    feed: { date: "2026-08-21", source: "hf" },
  },
  {
    id: "hep-th/9901001",
    title: "Strings, Old Style",
    authors: [{ name: "Ed Witten" }],
    categories: ["hep-th"],
    publishedAt: "1999-01-04T17:00:00.000Z",
  },
];

async function mcpClient(store: Store): Promise<Client> {
  const mcp = new Client({ name: "test", version: "1.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer({
    store,
    baseUrl: "http://localhost:3000",
    embedder: builtinQueryEmbedder,
    logger: pino({ level: "silent" }),
  }).connect(serverSide);
  await mcp.connect(clientSide);
  return mcp;
}

for (const kind of databaseKinds) {
  describe(`collections, follows and organisations API and MCP on ${kind.kind}`, { skip: kind.skip }, () => {
    async function setUp(store: Store) {
      await store.papers.upsertBatch(papers);
      const { app, community } = communityApp(store);
      const token = async (username: string, scope: "read" | "write", role: User["role"] = "user") => {
        const user = await verifiedUser(store, username, role);
        return (await community.accounts.createApiToken(user, "test", scope)).secret;
      };
      const ada = await token("ada", "write");
      const bob = await token("bob", "write");
      const call = async (method: string, path: string, bearer: string | null, body?: unknown) => {
        const response = await app.request(path, {
          method,
          headers: {
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
      };
      return { app, ada, bob, call, token };
    }

    test("collections: create, add with a note, reorder, hide; others can neither see a private one nor edit", () =>
      withStore(kind, async (store) => {
        const { ada, bob, call, token } = await setUp(store);
        const made = await call("POST", "/api/v1/collections", ada, { title: "Robots", description: "Ones that read" });
        assert.equal(made.status, 201);
        const { slug } = made.body;
        assert.match(slug, /^robots-[0-9a-f]{8}$/);
        assert.equal(
          (await call("POST", `/api/v1/collections/${slug}/papers/2608.70001`, ada, { note: "start here" })).status,
          200,
        );
        const added = await call("POST", `/api/v1/collections/${slug}/papers/hep-th/9901001`, ada);
        assert.deepEqual(
          added.body.papers.map((p: { paper: { id: string }; note: string }) => [p.paper.id, p.note]),
          [
            ["2608.70001", "start here"],
            ["hep-th/9901001", ""],
          ],
        );
        const reordered = await call("PATCH", `/api/v1/collections/${slug}`, ada, {
          title: "Robots and strings",
          order: ["hep-th/9901001"],
        });
        assert.equal(reordered.body.title, "Robots and strings");
        assert.equal(reordered.body.papers[0].paper.id, "hep-th/9901001");

        assert.equal((await call("GET", `/api/v1/collections/${slug}`, null)).body.paperCount, 2);
        assert.equal((await call("PATCH", `/api/v1/collections/${slug}`, bob, { title: "Mine" })).status, 403);
        assert.equal((await call("DELETE", `/api/v1/collections/${slug}/papers/2608.70001`, bob)).status, 403);
        const reader = await token("carol", "read");
        assert.equal((await call("POST", `/api/v1/collections/${slug}/papers/2608.70001`, reader)).status, 403);
        assert.equal((await call("POST", "/api/v1/collections", null, { title: "x" })).status, 401);
        assert.equal((await call("POST", "/api/v1/collections", ada, { title: "" })).status, 400);

        assert.equal((await call("PATCH", `/api/v1/collections/${slug}`, ada, { private: true })).status, 200);
        for (const who of [null, bob]) {
          const hidden = await call("GET", `/api/v1/collections/${slug}`, who);
          assert.equal(hidden.status, 404);
          assert.doesNotMatch(JSON.stringify(hidden.body), /Robots/);
          assert.equal((await call("DELETE", `/api/v1/collections/${slug}`, who ?? bob)).status, 404);
        }
        assert.equal((await call("GET", `/api/v1/collections/${slug}`, ada)).body.private, true);

        // Assistants see public collections only.
        const publicOne = (await call("POST", "/api/v1/collections", ada, { title: "Open robots" })).body.slug;
        await call("POST", `/api/v1/collections/${publicOne}/papers/2608.70001`, ada, { note: "a fine one" });
        const mcp = await mcpClient(store);
        try {
          const { resources } = await mcp.listResources();
          const collections = resources.filter((r) => r.uri.startsWith("collection://")).map((r) => r.name);
          assert.deepEqual(collections, ["Open robots"]);
          const read = await mcp.readResource({ uri: `collection://${publicOne}` });
          assert.match(
            String((read.contents[0] as { text?: string } | undefined)?.text),
            /# Open robots[\s\S]*Robots That Read[\s\S]*Note: a fine one/,
          );
          await assert.rejects(mcp.readResource({ uri: `collection://${slug}` }));
          const tool = await mcp.callTool({ name: "get_collection", arguments: { slug: publicOne } });
          assert.match(JSON.stringify(tool.content), /a fine one/);
          const hidden = await mcp.callTool({ name: "get_collection", arguments: { slug } });
          assert.equal(hidden.isError, true);
          assert.doesNotMatch(JSON.stringify(hidden.content), /Robots and strings/);
          const organization = await mcp.callTool({ name: "list_organization_papers", arguments: { name: "NVIDIA" } });
          const listed = JSON.parse((organization.content as { text: string }[])[0]?.text ?? "{}");
          assert.equal(listed.total, 1);
          assert.equal(listed.papers[0].id, "2608.70001");
          assert.equal(listed.papers[0].feedDate, "2026-08-21");
        } finally {
          await mcp.close();
        }

        assert.equal((await call("DELETE", `/api/v1/collections/${slug}`, ada)).status, 204);
        assert.equal((await call("GET", `/api/v1/collections/${slug}`, ada)).status, 404);
      }));

    test("a banned owner's public collections are hidden from all but moderators, and come back on unban", () =>
      withStore(kind, async (store) => {
        const { app, ada, call, token } = await setUp(store);
        const slug = (await call("POST", "/api/v1/collections", ada, { title: "Banned robots" })).body.slug;
        await call("POST", `/api/v1/collections/${slug}/papers/2608.70001`, ada);
        const mod = await token("mod", "write", "moderator");
        const moderator = new PageClient(app);
        await moderator.logIn("mod");
        const mcp = await mcpClient(store);
        const seen = async () => {
          const { resources } = await mcp.listResources();
          const tool = await mcp.callTool({ name: "get_collection", arguments: { slug } });
          return {
            page: (await new PageClient(app).get(`/collections/${slug}`)).status,
            api: (await call("GET", `/api/v1/collections/${slug}`, null)).status,
            search: /Banned robots/.test((await new PageClient(app).get("/search?q=banned")).html),
            resource: resources.some((r) => r.uri === `collection://${slug}`),
            tool: tool.isError !== true,
            moderator: (await moderator.get(`/collections/${slug}`)).status,
          };
        };
        try {
          const visible = { page: 200, api: 200, search: true, resource: true, tool: true, moderator: 200 };
          assert.deepEqual(await seen(), visible);
          assert.equal((await call("POST", "/api/v1/admin/users/ada/ban", mod, { reason: "spam" })).status, 200);
          assert.deepEqual(await seen(), {
            page: 404,
            api: 404,
            search: false,
            resource: false,
            tool: false,
            moderator: 200,
          });
          await assert.rejects(mcp.readResource({ uri: `collection://${slug}` }));
          assert.match((await moderator.get("/users/ada")).html, /Banned robots/, "moderators still see the profile's");
          assert.equal((await call("POST", "/api/v1/admin/users/ada/unban", mod, { reason: "appeal" })).status, 200);
          assert.deepEqual(await seen(), visible);
        } finally {
          await mcp.close();
        }
      }));

    test("follows fill /me/feed with reasons; organisations answer with their papers and followers", () =>
      withStore(kind, async (store) => {
        const { ada, call } = await setUp(store);
        const followed = await call("POST", "/api/v1/follows", ada, { kind: "organization", value: "NVIDIA" });
        assert.deepEqual(followed.body, { kind: "organization", value: "nvidia", following: true });
        await call("POST", "/api/v1/follows", ada, { kind: "category", value: "hep-th" });
        assert.equal((await call("POST", "/api/v1/follows", ada, { kind: "planet", value: "Mars" })).status, 400);
        assert.equal((await call("POST", "/api/v1/follows", ada, { kind: "author", value: "Nobody" })).status, 404);
        assert.deepEqual((await call("GET", "/api/v1/follows", ada)).body.follows, [
          { kind: "category", value: "hep-th" },
          { kind: "organization", value: "nvidia" },
        ]);
        const feed = await call("GET", "/api/v1/me/feed", ada);
        assert.equal(feed.body.total, 2);
        assert.deepEqual(
          feed.body.items.map((i: { paper: { id: string }; reasons: unknown }) => [i.paper.id, i.reasons]),
          [
            ["2608.70001", [{ kind: "organization", value: "nvidia" }]],
            ["hep-th/9901001", [{ kind: "category", value: "hep-th" }]],
          ],
        );
        assert.equal((await call("GET", "/api/v1/me/feed", null)).status, 401);
        assert.equal((await call("GET", "/api/v1/me/feed?page=0", ada)).status, 400);

        const organization = await call("GET", "/api/v1/organizations/NVIDIA", null);
        assert.equal(organization.status, 200);
        assert.equal(organization.body.name, "nvidia");
        assert.equal(organization.body.fullname, "NVIDIA");
        assert.equal(organization.body.followerCount, 1);
        assert.equal(organization.body.papers[0].paper.upvotes, 7);
        assert.equal((await call("GET", "/api/v1/organizations/nobody", null)).status, 404);

        const unfollowed = await call("DELETE", "/api/v1/follows", ada, { kind: "organization", value: "nvidia" });
        assert.equal(unfollowed.body.following, false);
        assert.equal((await call("GET", "/api/v1/organizations/nvidia", null)).body.followerCount, 0);

        const spec = (await call("GET", "/openapi.json", null)).body;
        for (const path of [
          "/api/v1/collections",
          "/api/v1/collections/{slug}",
          "/api/v1/collections/{slug}/papers/{id}",
          "/api/v1/follows",
          "/api/v1/me/feed",
          "/api/v1/organizations/{name}",
        ]) {
          assert.ok(spec.paths[path], `${path} in the OpenAPI document`);
        }
      }));
  });
}
