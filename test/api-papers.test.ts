import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { ingest, type SourceItem } from "../src/ingest/run.ts";
import { DEMO_CORPUS } from "../src/server/demo.ts";
import type { Store } from "../src/store/index.ts";
import { getJson, nextPagePath, testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

type FlatPaper = { id: string; title: string; authors: { name: string }[]; upvotes: number; publishedAt: string };

async function* oldStylePaper(): AsyncGenerator<SourceItem> {
  yield {
    record: {
      id: "hep-th/9901001",
      title: "Strings on an old-style identifier",
      abstract: "We check that identifiers with a slash survive every route.",
      authors: [{ name: "Ada Lovelace" }],
      categories: ["hep-th"],
      versions: [{ version: 1, created: "1999-01-04T10:00:00.000Z" }],
    },
    position: { where: "test" },
  };
}

async function fill(store: Store) {
  await ingest(store, readJsonLines(DEMO_CORPUS));
  await ingest(store, oldStylePaper());
}

for (const kind of databaseKinds) {
  describe(`paper APIs on ${kind.kind}`, { skip: kind.skip }, () => {
    it("GET /api/papers/{id} answers the flat paper for new, versioned and old-style ids, 404 or 400 otherwise", async () => {
      await withStore(kind, async (store) => {
        await fill(store);
        const app = testApp(store);
        const day = (await getJson(app, "/api/daily_papers?date=2026-08-21")).body as { paper: FlatPaper }[];
        const listed = day[0]?.paper;
        assert.ok(listed);

        const one = await getJson(app, `/api/papers/${listed.id}`);
        assert.equal(one.status, 200);
        assert.deepEqual(one.body, listed, "the same object as the feed's `paper`");
        assert.deepEqual((await getJson(app, `/api/papers/${listed.id}v3`)).body, listed);

        const old = await getJson(app, "/api/papers/hep-th/9901001");
        assert.equal(old.status, 200);
        assert.equal((old.body as FlatPaper).title, "Strings on an old-style identifier");
        assert.deepEqual((old.body as FlatPaper).authors, [{ name: "Ada Lovelace", hidden: false }]);
        assert.equal((old.body as Record<string, unknown>).submittedOnDailyAt, undefined, "never on the feed");

        const missing = await getJson(app, "/api/papers/2501.99999");
        assert.equal(missing.status, 404);
        assert.match((missing.body as { error: string }).error, /2501\.99999 not found/);
        const malformed = await getJson(app, "/api/papers/not-a-paper");
        assert.equal(malformed.status, 400);
        assert.match((malformed.body as { error: string }).error, /arxiv_id/);
      });
    });

    it("GET /api/papers pages through every paper once, newest first, by cursor", async () => {
      await withStore(kind, async (store) => {
        await fill(store);
        const app = testApp(store);
        const seen: FlatPaper[] = [];
        let next: string | null = "/api/papers?limit=100";
        while (next) {
          const page = await getJson(app, next);
          assert.equal(page.status, 200);
          seen.push(...(page.body as FlatPaper[]));
          next = nextPagePath(page.response);
        }
        assert.equal(seen.length, await store.papers.count());
        assert.equal(new Set(seen.map((p) => p.id)).size, seen.length, "no paper twice");
        const dates = seen.map((p) => p.publishedAt);
        assert.deepEqual(dates, [...dates].sort().reverse(), "newest first");
        assert.equal(seen.at(-1)?.id, "hep-th/9901001");

        const bad = await getJson(app, "/api/papers?cursor=bm90IGEgY3Vyc29y");
        assert.equal(bad.status, 400);
        assert.match((bad.body as { error: string }).error, /cursor/);
      });
    });

    it("GET /api/papers/search finds papers by words and by id, and refuses queries over 250 characters", async () => {
      await withStore(kind, async (store) => {
        await fill(store);
        const app = testApp(store);
        const byWords = await getJson(app, "/api/papers/search?q=EnvHarness%20static%20environments");
        assert.equal(byWords.status, 200);
        const hits = byWords.body as { paper: FlatPaper; title: string; submittedBy?: unknown }[];
        assert.equal(hits[0]?.paper.id, "2608.19880");
        assert.ok(hits[0]?.submittedBy, "a feed paper carries its submitter, as in the daily feed");

        const byId = await getJson(app, "/api/papers/search?q=https://arxiv.org/abs/hep-th/9901001v2");
        assert.deepEqual(
          (byId.body as { paper: FlatPaper }[]).map((h) => h.paper.id),
          ["hep-th/9901001"],
        );
        const limited = await getJson(app, "/api/papers/search?q=language%20models&limit=3");
        assert.equal((limited.body as unknown[]).length, 3);
        assert.deepEqual((await getJson(app, "/api/papers/search?q=")).body, []);

        const long = await getJson(app, `/api/papers/search?q=${"a".repeat(251)}`);
        assert.equal(long.status, 400);
        assert.match((long.body as { error: string }).error, /q: must be at most 250 characters/);
      });
    });

    it("GET /papers/{id}.md gives the paper as Markdown, old-style ids included", async () => {
      await withStore(kind, async (store) => {
        await fill(store);
        const app = testApp(store);
        const response = await app.request("/papers/2608.19880.md");
        assert.equal(response.status, 200);
        assert.match(response.headers.get("content-type") ?? "", /^text\/markdown/);
        const text = await response.text();
        assert.match(text, /^# EnvHarness: Awakening Static Worlds for Agent Learning\n/);
        assert.match(text, /\[2608\.19880\]\(https:\/\/arxiv\.org\/abs\/2608\.19880\)/);
        assert.match(text, /## Abstract\n\nLLM agents learn by interacting with environments/);

        const old = await app.request("/papers/hep-th/9901001.md");
        assert.equal(old.status, 200);
        assert.match(await old.text(), /^# Strings on an old-style identifier/);
        assert.equal((await app.request("/papers/2501.99999.md")).status, 404);
        assert.equal((await app.request("/papers/nonsense.md")).status, 400);
      });
    });
  });
}
