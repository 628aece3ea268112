import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PaperRecord } from "../src/papers/record.ts";
import type { Store } from "../src/store/index.ts";
import { testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

type App = ReturnType<typeof testApp>;

const papers: PaperRecord[] = Array.from({ length: 30 }, (_, i) => ({
  id: `2401.${String(i + 1).padStart(5, "0")}`,
  title: `Sparse attention, part ${i + 1}`,
  abstract: "We make attention sparse and long documents cheap to read. ".repeat(4),
  authors: [{ name: "Ada Lovelace" }],
  categories: ["cs.CL"],
  publishedAt: "2024-01-02T12:00:00.000Z",
  feed: { date: "2024-01-02", source: "arxiv" },
}));

/** A request as if from `address` (through a proxy when `forwardedFor` is given). */
function from(app: App, path: string, address: string, init: RequestInit = {}) {
  return app.request(path, init, { incoming: { socket: { remoteAddress: address, remotePort: 1 } } });
}

const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});
const mcpPost = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
  body: JSON.stringify(body),
});
const initialize = rpc(1, "initialize", {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "test", version: "1" },
});

async function rateLimitRows(store: Store): Promise<number> {
  return (await store.connection.db.selectFrom("rate_limits").select("bucket").execute()).length;
}

for (const kind of databaseKinds) {
  describe(`a public instance's defences, on ${kind.kind}`, { skip: kind.skip }, () => {
    it("sends security headers on every response, and CORS only on the API, the OpenAPI document, Markdown and MCP", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });
        const origin = { Origin: "https://elsewhere.example" };
        const cases: [string, RequestInit, boolean][] = [
          ["/", { headers: origin }, false],
          ["/papers/2401.00001", { headers: origin }, false],
          ["/search?q=sparse", { headers: origin }, false],
          ["/papers/2401.99999", { headers: origin }, false],
          ["/docs", { headers: origin }, false],
          ["/healthz", { headers: origin }, false],
          ["/papers/%zz", { headers: origin }, false],
          ["/api/daily_papers", { headers: origin }, true],
          ["/api/nothing", { headers: origin }, true],
          ["/openapi.json", { headers: origin }, true],
          ["/papers/2401.00001.md", { headers: origin }, true],
          ["/mcp", mcpPost(initialize), true],
        ];
        for (const [path, init, cors] of cases) {
          const response = await app.request(path, init);
          const csp = response.headers.get("content-security-policy") ?? "";
          assert.match(csp, /default-src 'self'/, path);
          assert.match(csp, /frame-ancestors 'none'/, path);
          assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/, path);
          assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
          assert.equal(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin", path);
          assert.equal(response.headers.get("access-control-allow-origin"), cors ? "*" : null, path);
          assert.equal(response.headers.get("access-control-allow-credentials"), null, path);
        }
      }));

    it("keeps errors out of shared caches: 5xx no-store, 4xx briefly and privately", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });
        assert.match((await app.request("/papers/2401.00001")).headers.get("cache-control") ?? "", /^public/);
        for (const path of ["/papers/2401.99999", "/papers/not-an-id", "/api/papers/2401.99999", "/nowhere"]) {
          const response = await app.request(path);
          assert.ok(response.status >= 400 && response.status < 500, path);
          assert.equal(response.headers.get("cache-control"), "private, max-age=30", path);
        }
        store.papers.get = async () => {
          throw new Error("the database went away");
        };
        for (const path of ["/papers/2401.00001", "/api/papers/2401.00001"]) {
          const response = await app.request(path);
          assert.equal(response.status, 500, path);
          assert.equal(response.headers.get("cache-control"), "no-store", path);
          assert.doesNotMatch(await response.text(), /went away/, path);
        }
      }));

    it("answers a wrong method with 405 and Allow, and a missing path with 404", () =>
      withStore(kind, async (store) => {
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });
        for (const [method, path] of [
          ["POST", "/"],
          ["DELETE", "/papers/2401.00001"],
          ["PUT", "/healthz"],
          ["POST", "/api/daily_papers"],
          ["PATCH", "/api/v1/papers/2401.00001"],
        ] as const) {
          const response = await app.request(path, { method });
          assert.equal(response.status, 405, `${method} ${path}`);
          assert.equal(response.headers.get("allow"), "GET, HEAD", `${method} ${path}`);
          assert.match(await response.text(), new RegExp(`${method} is not allowed here; use GET, HEAD`));
        }
        assert.equal((await app.request("/nowhere", { method: "POST" })).status, 404);
        assert.equal((await app.request("/", { method: "HEAD" })).status, 200);
      }));

    it("builds links from PAPERBOY_BASE_URL, never from the Host the client sent", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0", PAPERBOY_BASE_URL: "https://papers.example.org" });
        const headers = { Host: "evil.example", "X-Forwarded-Host": "evil.example" };
        for (const path of ["/api/daily_papers?limit=5", "/api/papers?limit=5"]) {
          const link = (await app.request(`http://evil.example${path}`, { headers })).headers.get("link") ?? "";
          assert.match(link, /^<https:\/\/papers\.example\.org\/api\//, path);
        }
        const page = await (await app.request("http://evil.example/papers/2401.00001", { headers })).text();
        assert.doesNotMatch(page, /evil\.example/);
      }));

    it("compresses API JSON, the OpenAPI document and the docs assets like pages", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });
        const gzip = { headers: { "Accept-Encoding": "gzip" } };
        for (const path of [
          "/api/daily_papers",
          "/api/v1/feed/2024-01-02",
          "/openapi.json",
          "/docs/assets/swagger-ui-bundle.js",
          "/docs/assets/swagger-ui.css",
          "/",
        ]) {
          const response = await app.request(path, gzip);
          assert.equal(response.status, 200, path);
          assert.equal(response.headers.get("content-encoding"), "gzip", path);
        }
      }));

    it("limits each client in the database: an MCP batch spends one per message, searches count, feed pages write nothing", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "5" });
        const batch = Array.from({ length: 6 }, (_, i) => rpc(i + 1, "tools/list"));
        const refused = await from(app, "/mcp", "192.0.2.10", mcpPost(batch));
        assert.equal(refused.status, 429);
        assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
        assert.match(await refused.text(), /"error":\{"code":-32000,"message":"too many requests: at most 5 a minute/);
        assert.equal((await from(app, "/api/papers?limit=1", "192.0.2.10")).status, 429, "one budget for API and MCP");
        assert.equal((await from(app, "/api/papers?limit=1", "192.0.2.11")).status, 200, "another client has its own");

        for (let i = 0; i < 5; i++) assert.equal((await from(app, "/search?q=sparse", "192.0.2.12")).status, 200);
        const search = await from(app, "/search?q=sparse", "192.0.2.12");
        assert.equal(search.status, 429);
        assert.match(await search.text(), /Searches from your address are limited to 5 a minute/);
        assert.equal((await from(app, "/search", "192.0.2.12")).status, 200, "the empty search form costs nothing");

        const rows = await rateLimitRows(store);
        for (const path of ["/", "/papers/2401.00001", "/papers/trending", "/authors/Ada%20Lovelace", "/healthz"]) {
          assert.equal((await from(app, path, "192.0.2.12")).status, 200, path);
        }
        assert.equal(await rateLimitRows(store), rows, "reading pages writes no rate-limit rows");
      }));

    it("believes X-Forwarded-For only from the proxies in PAPERBOY_TRUST_PROXY", () =>
      withStore(kind, async (store) => {
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "2", PAPERBOY_TRUST_PROXY: "10.0.0.0/8" });
        const via = (client: string) => ({ headers: { "X-Forwarded-For": `${client}, 10.0.0.9` } });
        for (let i = 0; i < 2; i++)
          assert.equal((await from(app, "/api/papers", "10.0.0.1", via("198.51.100.1"))).status, 200);
        assert.equal((await from(app, "/api/papers", "10.0.0.1", via("198.51.100.1"))).status, 429);
        assert.equal(
          (await from(app, "/api/papers", "10.0.0.1", via("198.51.100.2"))).status,
          200,
          "clients behind the proxy are told apart",
        );

        // A client that connects directly cannot choose its name with the header.
        for (let i = 0; i < 2; i++)
          assert.equal((await from(app, "/api/papers", "203.0.113.5", via(`203.0.113.${i + 100}`))).status, 200);
        assert.equal((await from(app, "/api/papers", "203.0.113.5", via("203.0.113.200"))).status, 429);
        assert.equal(
          (await from(app, "/api/papers", "::ffff:203.0.113.5")).status,
          429,
          "the same client over IPv6-mapped IPv4",
        );
      }));

    it("serves /mcp to the site's own pages and to clients without an Origin, and refuses other pages", () =>
      withStore(kind, async (store) => {
        const app = testApp(store, {
          PAPERBOY_API_RATE_LIMIT: "0",
          PAPERBOY_BASE_URL: "https://papers.example.org",
          PAPERBOY_MCP_ORIGINS: "http://localhost:6274",
        });
        for (const origin of [undefined, "https://papers.example.org", "http://localhost:6274"]) {
          const response = await app.request("/mcp", mcpPost(initialize, origin ? { Origin: origin } : {}));
          assert.equal(response.status, 200, origin);
          assert.match(await response.text(), /"serverInfo":\{"name":"paperboy"/);
        }
        for (const origin of ["https://evil.example", "http://localhost:3000", "null"]) {
          const response = await app.request("/mcp", mcpPost(initialize, { Origin: origin }));
          assert.equal(response.status, 403, origin);
          assert.match(await response.text(), /may not call this MCP server/);
        }
        const anyOrigin = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0", PAPERBOY_MCP_ORIGINS: "*" });
        assert.equal(
          (await anyOrigin.request("/mcp", mcpPost(initialize, { Origin: "https://evil.example" }))).status,
          200,
        );
        const huge = await app.request("/mcp", { ...mcpPost(initialize), body: " ".repeat(2 * 1024 * 1024) });
        assert.equal(huge.status, 413);
      }));
  });
}
