import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { serve } from "@hono/node-server";
import fc from "fast-check";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { DEMO_CORPUS } from "../src/server/demo.ts";
import { testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const nasty = [
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "99999999999999999999",
  "2026-02-30",
  "2026-W00",
  "2026-W53",
  "0000-00",
  "'; DROP TABLE papers; --",
  '" OR 1=1 --',
  "papers_fts MATCH '*'",
  "NEAR(a b)",
  "title:",
  'author:"',
  "-",
  "*",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\uffff",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "hep-th/9901001",
  "2608.19880v99",
  "__proto__",
  "constructor",
  "x".repeat(251),
  "9".repeat(400),
];

const hostileText = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

// Raw escapes a client can put on the wire that are not valid percent-encoding or hide slashes.
const rawEscapes = fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "..%2F..%2F", "%2e%2e", "%ff%fe", "%C0%AF");
// A URL carries bytes: a lone surrogate goes out as U+FFFD, as any client would send it.
const encoded = (text: string) => encodeURIComponent(Buffer.from(text, "utf8").toString("utf8"));
const segment = fc.oneof({ weight: 4, arbitrary: hostileText.map(encoded) }, { weight: 1, arbitrary: rawEscapes });

const queryKeys = ["p", "limit", "date", "week", "month", "submitter", "sort", "q", "cursor", "offset", "__proto__"];
const queryString = fc
  .array(fc.tuple(fc.constantFrom(...queryKeys), segment), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));

const path = fc.oneof(
  fc.constant("/api/daily_papers"),
  fc.constant("/api/papers"),
  fc.constant("/api/papers/search"),
  segment.map((s) => `/api/papers/${s}`),
  fc.tuple(segment, segment).map(([a, b]) => `/api/papers/${a}/${b}`),
  segment.map((s) => `/papers/${s}.md`),
  segment.map((s) => `/api/v1/papers/${s}`),
  segment.map((s) => `/api/v1/feed/${s}`),
  segment.map((s) => `/api/${s}`),
  fc.constant("/openapi.json"),
  fc.constant("/mcp"),
);

// Header values must be printable ASCII to be sent at all; anything else never reaches a server.
const headerValue = fc.oneof(
  fc.constantFrom("*", '"x"', 'W/"abc"', "application/json", "text/event-stream", "gzip", "2025-06-18", "null"),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)), maxLength: 60 }),
);
const headers = fc.dictionary(
  fc.constantFrom(
    "If-None-Match",
    "Accept",
    "Content-Type",
    "Origin",
    "Mcp-Session-Id",
    "Mcp-Protocol-Version",
    "Accept-Encoding",
    "Range",
  ),
  headerValue,
  { maxKeys: 3 },
);

const body = fc.oneof(
  fc.constant(undefined),
  hostileText,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_paper","arguments":{"id":"\\u0000"}}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_papers","arguments":{"query":"a\\u0000b"}}}',
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}',
    "[]",
    "{",
  ),
);

const request = fc.record({
  method: fc.constantFrom("GET", "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"),
  path,
  query: queryString,
  headers,
  body,
});

type Sent = { method: string; path: string; query: string; headers: Record<string, string>; body: string | undefined };

function init(r: Sent): RequestInit {
  const sendsBody = r.body !== undefined && r.method !== "GET" && r.method !== "HEAD";
  return { method: r.method, headers: r.headers, ...(sendsBody ? { body: r.body } : {}) };
}

/** What every answer must be: never a server error, and an /api failure always explains itself in JSON. */
async function check(r: Sent, response: Response, inProcess: boolean): Promise<void> {
  const where = `${r.method} ${r.path}${r.query}`;
  assert.ok(response.status < 500, `${where} → ${response.status}`);
  // In-process answers arrive as sent, compressed when the request allowed it (fetch decodes them).
  const encoding = response.headers.get("content-encoding") as "gzip" | "deflate" | null;
  const text =
    inProcess && encoding && response.body
      ? await new Response(response.body.pipeThrough(new DecompressionStream(encoding))).text()
      : await response.text();
  // Judged by the path the URL really names: "/api/%2e%2e" is "/", not an API path.
  const isApi = new URL(r.path, "http://localhost").pathname.startsWith("/api/");
  if (response.status >= 400 && isApi && r.method !== "HEAD") {
    assert.match(response.headers.get("content-type") ?? "", /application\/json/, where);
    const parsed = JSON.parse(text) as { error?: unknown };
    assert.equal(typeof parsed.error, "string", where);
    assert.ok((parsed.error as string).length > 0, where);
  }
}

for (const kind of databaseKinds) {
  describe(`hostile requests on ${kind.kind}`, { skip: kind.skip }, () => {
    it("never get a 5xx; every /api 4xx carries a JSON error; the server stays up", async () => {
      await withStore(kind, async (store) => {
        await ingest(store, readJsonLines(DEMO_CORPUS));
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });

        // In-process, for volume: SQLite takes the full 10,000; PostgreSQL a share, same generators.
        await fc.assert(
          fc.asyncProperty(request, async (r) => {
            await check(r, await app.request(`${r.path}${r.query}`, init(r)), true);
          }),
          { numRuns: kind.kind === "sqlite" ? 10_000 : 2_000, seed: 20260821 },
        );

        // Over a real socket too, so nothing only a real HTTP stack sees gets through.
        const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
          const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
        });
        try {
          const { port } = server.address() as AddressInfo;
          await fc.assert(
            fc.asyncProperty(request, async (r) => {
              await check(r, await fetch(`http://127.0.0.1:${port}${r.path}${r.query}`, init(r)), false);
            }),
            { numRuns: 300, seed: 42 },
          );
          const health = await fetch(`http://127.0.0.1:${port}/healthz`);
          assert.equal(health.status, 200);
          const day = await fetch(`http://127.0.0.1:${port}/api/daily_papers?date=2026-08-21`);
          assert.equal(((await day.json()) as unknown[]).length, 17, "still answering normally");
        } finally {
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      });
    });
  });
}
