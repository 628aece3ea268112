import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { loadConfig } from "../src/config/index.ts";
import type { PaperRecord } from "../src/papers/record.ts";
import { builtinQueryEmbedder } from "../src/search/query-embedder.ts";
import { createServerApp } from "../src/server/app.ts";
import { createLogger } from "../src/server/logger.ts";
import type { Store } from "../src/store/index.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";

function record(n: number, title: string, upvotesFrom?: string): PaperRecord {
  return {
    id: `2506.${String(n).padStart(5, "0")}`,
    title,
    abstract: `Abstract of paper ${n} about render caches.`,
    authors: [{ name: "Cache Author" }],
    categories: ["cs.DC"],
    publishedAt: "2026-06-02T14:00:00.000Z",
    feed: { date: "2026-06-02", source: upvotesFrom ? "hf" : "arxiv" },
  };
}

/** A serve-like app (metrics on the site's port, render cache re-reading the data version on every request). */
function serverApp(store: Store, env: Record<string, string> = {}) {
  const config = loadConfig({
    PAPERBOY_LOG_LEVEL: "silent",
    PAPERBOY_DEMO: "off",
    PAPERBOY_METRICS: "on",
    PAPERBOY_RENDER_CACHE_CHECK_MS: "0",
    ...env,
  });
  return createServerApp({ store, config, logger: createLogger(config), embedder: builtinQueryEmbedder });
}

const get = (app: ReturnType<typeof serverApp>["app"], path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers });

for (const kind of databaseKinds) {
  describe(`the render cache on ${kind.kind}`, { skip: kind.skip }, () => {
    const databases: TestDatabase[] = [];
    const stores: Store[] = [];
    after(async () => {
      for (const store of stores) await store.close();
      for (const db of databases) await db.dispose();
    });
    const twoInstances = async () => {
      const db = await kind.create();
      databases.push(db);
      const first = await db.open();
      const second = await db.open();
      stores.push(first, second);
      await first.papers.upsertBatch([record(1, "Kept pages for everyone"), record(2, "A second paper")]);
      return { first, second, a: serverApp(first).app, b: serverApp(second).app };
    };

    test("serves anonymous readers kept pages, and a write shows on the next request of every instance", async () => {
      const { first, second, a, b } = await twoInstances();
      for (const app of [a, b]) {
        const miss = await get(app, "/papers/2506.00001");
        assert.equal(miss.status, 200);
        assert.equal(miss.headers.get("x-render-cache"), "miss");
        assert.match(await miss.text(), /Kept pages for everyone/);
        const hit = await get(app, "/papers/2506.00001");
        assert.equal(hit.headers.get("x-render-cache"), "hit");
        assert.match(await hit.text(), /Kept pages for everyone/);
      }
      // A write on one instance (as an ingest or a vote would) …
      await first.papers.upsertBatch([{ ...record(1, "Retitled after a write"), version: 2 }]);
      // … shows on the next request to both.
      for (const app of [a, b]) {
        const page = await get(app, "/papers/2506.00001");
        assert.equal(page.headers.get("x-render-cache"), "miss");
        const html = await page.text();
        assert.match(html, /Retitled after a write/);
        assert.doesNotMatch(html, /Kept pages for everyone/);
      }
      // The feed and the Hugging Face API are kept the same way.
      for (const path of ["/papers/date/2026-06-02", "/api/daily_papers?date=2026-06-02"]) {
        assert.equal((await get(b, path)).headers.get("x-render-cache"), "miss");
        assert.equal((await get(b, path)).headers.get("x-render-cache"), "hit");
      }
      const kept = await get(b, "/api/daily_papers?date=2026-06-02", { Origin: "https://elsewhere.example" });
      assert.equal(kept.headers.get("x-render-cache"), "hit");
      assert.equal(kept.headers.get("access-control-allow-origin"), "*", "any page may still read the kept API");
      await second.papers.upsertBatch([record(3, "A third paper arrives")]);
      const feed = await get(a, "/api/daily_papers?date=2026-06-02");
      assert.equal(feed.headers.get("x-render-cache"), "miss");
      assert.equal(((await feed.json()) as unknown[]).length, 3);
    });

    test("compresses for clients that accept gzip, answers 304 to a matching ETag, and leaves signed-in readers alone", async () => {
      const { a } = await twoInstances();
      const plain = await get(a, "/papers/2506.00002");
      const html = await plain.text();
      const etag = plain.headers.get("etag");
      assert.ok(etag);
      const gzipped = await get(a, "/papers/2506.00002", { "Accept-Encoding": "gzip, br" });
      assert.equal(gzipped.headers.get("content-encoding"), "gzip");
      assert.equal(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString("utf8"), html);
      const kept = await get(a, "/papers/2506.00002");
      assert.equal(kept.headers.get("x-render-cache"), "hit");
      assert.match(
        kept.headers.get("content-security-policy") ?? "",
        /default-src 'self'/,
        "kept pages keep the policies",
      );
      const unchanged = await get(a, "/papers/2506.00002", { "If-None-Match": etag });
      assert.equal(unchanged.status, 304);
      // Feed readers ask by date.
      await get(a, "/feeds/daily.rss");
      const feed = await get(a, "/feeds/daily.rss");
      assert.equal(feed.headers.get("x-render-cache"), "hit");
      const lastModified = feed.headers.get("last-modified");
      assert.ok(lastModified);
      assert.equal((await get(a, "/feeds/daily.rss", { "If-Modified-Since": lastModified })).status, 304);
      const earlier = new Date(Date.parse(lastModified) - 86_400_000).toUTCString();
      assert.equal((await get(a, "/feeds/daily.rss", { "If-Modified-Since": earlier })).status, 200);
      const signedIn = await get(a, "/papers/2506.00002", { Cookie: "session=someone" });
      assert.equal(signedIn.status, 200);
      assert.equal(signedIn.headers.get("x-render-cache"), null);
      // Searches and 404s are never kept.
      assert.equal((await get(a, "/search?q=caches")).headers.get("x-render-cache"), null);
      const missing = await get(a, "/papers/2506.09999");
      assert.equal(missing.status, 404);
      assert.notEqual((await get(a, "/papers/2506.09999")).headers.get("x-render-cache"), "hit");
    });

    test("/metrics reports request latency by route pattern, the cache, the database pool and the worker's queues", async () => {
      const { first, a } = await twoInstances();
      await get(a, "/papers/2506.00001");
      await get(a, "/papers/2506.00001");
      await get(a, "/healthz");
      const now = new Date();
      await first.outbox.enqueue(
        [
          {
            id: "mail-1",
            dedupeKey: "metrics-test",
            kind: "confirmation",
            subscriberId: null,
            recipient: "reader@example.org",
            subject: "Confirm",
            text: "Confirm, please.",
            html: null,
            headers: {},
            messageId: "<metrics-test@example.org>",
          },
        ],
        now,
      );
      await first.jobs.acquire("mail", "worker-1", now, new Date(now.getTime() + 60_000));
      await first.jobs.acquire("digest-daily", "worker-1", now, new Date(now.getTime() + 60_000));
      await first.jobs.release("digest-daily", "worker-1", "ok", "sent 0 digests", now);
      const metrics = await get(a, "/metrics");
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get("content-type") ?? "", /^text\/plain/);
      const text = await metrics.text();
      assert.match(
        text,
        /paperboy_http_request_duration_seconds_count\{method="GET",route="\/papers\/\*",status="200"\} \d+/,
      );
      assert.match(
        text,
        /paperboy_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/,
      );
      assert.doesNotMatch(text, /route="\/papers\/2506/, "raw paths never become labels");
      assert.match(text, /paperboy_render_cache_requests_total\{result="hit"\} \d+/);
      assert.match(text, /# HELP paperboy_ingest_papers_total /);
      assert.match(text, /# HELP paperboy_embedded_papers_total /);
      assert.match(text, /paperboy_db_pool_connections\{state="total"\} \d+/);
      assert.match(text, /paperboy_process_resident_memory_bytes \d+/);
      assert.match(text, /paperboy_outbox_mails\{state="due"\} 1\n/);
      assert.match(text, /paperboy_outbox_mails\{state="sent"\} 0\n/);
      assert.match(text, /paperboy_job_running\{job="mail"\} 1\n/);
      assert.match(text, /paperboy_job_running\{job="digest-daily"\} 0\n/);
      assert.match(text, /paperboy_job_last_finished_timestamp_seconds\{job="digest-daily",outcome="ok"\} \d+/);
    });

    test("/metrics is not served unless switched on", async () => {
      const db = await kind.create();
      databases.push(db);
      const store = await db.open();
      stores.push(store);
      const { app } = serverApp(store, { PAPERBOY_METRICS: "off" });
      assert.equal((await get(app, "/metrics")).status, 404);
    });
  });
}
