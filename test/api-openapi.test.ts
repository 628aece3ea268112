import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { DEMO_CORPUS } from "../src/server/demo.ts";
import { getJson, testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { responseValidator } from "./support/openapi.ts";

for (const kind of databaseKinds) {
  describe(`OpenAPI document and HTTP behaviour on ${kind.kind}`, { skip: kind.skip }, () => {
    it("every answer matches what /openapi.json documents for its path and status", async () => {
      await withStore(kind, async (store) => {
        await ingest(store, readJsonLines(DEMO_CORPUS));
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });
        const doc = await getJson(app, "/openapi.json");
        assert.equal(doc.status, 200);
        const document = doc.body as Parameters<typeof responseValidator>[0];
        assert.equal(document.openapi, "3.1.0");
        for (const path of [
          "/api/daily_papers",
          "/api/papers",
          "/api/papers/search",
          "/api/papers/{arxiv_id}",
          "/papers/{arxiv_id}.md",
          "/api/v1/papers/{id}",
          "/api/v1/feed/{period}",
        ]) {
          assert.ok(document.paths[path], `${path} is documented`);
        }
        const validate = responseValidator(document);

        const cases: [string, string, number][] = [
          ["/api/daily_papers", "/api/daily_papers?date=2026-08-21", 200],
          ["/api/daily_papers", "/api/daily_papers?week=2026-W33&sort=trending", 200],
          ["/api/daily_papers", "/api/daily_papers?limit=1000", 400],
          ["/api/papers", "/api/papers?limit=20", 200],
          ["/api/papers", "/api/papers?cursor=%%%", 400],
          ["/api/papers/search", "/api/papers/search?q=reinforcement%20learning%20agents", 200],
          ["/api/papers/search", `/api/papers/search?q=${"x".repeat(300)}`, 400],
          ["/api/papers/{arxiv_id}", "/api/papers/2608.19880", 200],
          ["/api/papers/{arxiv_id}", "/api/papers/2608.99999", 404],
          ["/api/papers/{arxiv_id}", "/api/papers/bogus", 400],
          ["/api/v1/papers/{id}", "/api/v1/papers/2608.19880", 200],
          ["/api/v1/papers/{id}", "/api/v1/papers/2608.99999", 404],
          ["/api/v1/feed/{period}", "/api/v1/feed/2026-08-21", 200],
          ["/api/v1/feed/{period}", "/api/v1/feed/2026-W34?sort=date&limit=5&offset=5", 200],
          ["/api/v1/feed/{period}", "/api/v1/feed/2026-08", 200],
          ["/api/v1/feed/{period}", "/api/v1/feed/2026-99", 400],
        ];
        for (const [documented, request, status] of cases) {
          const answer = await getJson(app, request);
          assert.equal(answer.status, status, request);
          assert.deepEqual(validate(documented, status, answer.body), [], request);
        }

        const v1 = (await getJson(app, "/api/v1/feed/2026-08-21")).body as {
          total: number;
          next: null;
          previous: string;
        };
        assert.equal(v1.total, 17);
        assert.equal(v1.next, null, "the last demo day has no next day");
        assert.equal(v1.previous, "2026-08-20");
      });
    });
  });
}

describe("API plumbing", () => {
  const [sqlite] = databaseKinds;
  if (!sqlite) throw new Error("SQLite is always under test");

  it("serves interactive docs from the npm package, with no outside URL", async () => {
    await withStore(sqlite, async (store) => {
      const app = testApp(store);
      const page = await app.request("/docs");
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.doesNotMatch(html, /https?:\/\//, "no CDN");
      for (const asset of html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)) {
        const response = await app.request(asset[1] ?? "");
        assert.equal(response.status, 200, asset[1]);
      }
      assert.match(html, /swagger-ui-bundle\.js/);
      assert.equal((await app.request("/docs/assets/__proto__")).status, 404);
    });
  });

  it("allows cross-origin reads, answers 304 to a matching If-None-Match, and 404s unknown API paths in JSON", async () => {
    await withStore(sqlite, async (store) => {
      await ingest(store, readJsonLines(DEMO_CORPUS));
      const app = testApp(store);
      const first = await app.request("/api/daily_papers?date=2026-08-21", {
        headers: { Origin: "https://elsewhere.example" },
      });
      assert.equal(first.headers.get("access-control-allow-origin"), "*");
      const tag = first.headers.get("etag");
      assert.ok(tag);
      const again = await app.request("/api/daily_papers?date=2026-08-21", { headers: { "If-None-Match": tag } });
      assert.equal(again.status, 304);
      const other = await app.request("/api/daily_papers?date=2026-08-20", { headers: { "If-None-Match": tag } });
      assert.equal(other.status, 200);

      const preflight = await app.request("/api/papers/search?q=x", {
        method: "OPTIONS",
        headers: { Origin: "https://elsewhere.example", "Access-Control-Request-Method": "GET" },
      });
      assert.ok(preflight.status < 300);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "*");

      const unknown = await getJson(app, "/api/nothing/here");
      assert.equal(unknown.status, 404);
      assert.match((unknown.body as { error: string }).error, /no API endpoint/);
    });
  });

  it("limits each client to PAPERBOY_API_RATE_LIMIT requests a minute, answering 429 with Retry-After", async () => {
    await withStore(sqlite, async (store) => {
      const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "3" });
      for (let i = 0; i < 3; i++) assert.equal((await app.request("/api/papers?limit=1")).status, 200);
      const refused = await getJson(app, "/api/papers?limit=1");
      assert.equal(refused.status, 429);
      assert.match(refused.response.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
      assert.match((refused.body as { error: string }).error, /at most 3 a minute/);
      assert.equal((await app.request("/healthz")).status, 200, "pages are not rate limited");
    });
  });
});
