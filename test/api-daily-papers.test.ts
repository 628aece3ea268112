import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { readHfDaily, readJsonLines } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { DEMO_CORPUS } from "../src/server/demo.ts";
import { getJson, testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

// Byte for byte shared/data/hf-daily/raw/2026-08-21.json: Hugging Face's own answer for that day.
const RAW_DAY = path.resolve(import.meta.dirname, "fixtures/hf-daily-2026-08-21.json");

type Json = unknown;
type Item = { paper: { id: string; authors: unknown[] } } & Record<string, Json>;

/** Paths where `theirs` has a key `ours` lacks, and paths where both have a key with different values. */
function compare(ours: Json, theirs: Json, at = ""): { missing: string[]; different: string[] } {
  const result = { missing: [] as string[], different: [] as string[] };
  const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(ours) && isObject(theirs)) {
    for (const key of Object.keys(theirs)) {
      if (!(key in ours)) result.missing.push(`${at}.${key}`);
      else {
        const inner = compare(ours[key], theirs[key], `${at}.${key}`);
        result.missing.push(...inner.missing);
        result.different.push(...inner.different);
      }
    }
    for (const key of Object.keys(ours)) if (!(key in theirs)) result.different.push(`${at}.${key} (extra)`);
    return result;
  }
  if (Array.isArray(ours) && Array.isArray(theirs) && ours.length === theirs.length) {
    ours.forEach((value, i) => {
      const inner = compare(value, theirs[i], `${at}[]`);
      result.missing.push(...inner.missing);
      result.different.push(...inner.different);
    });
    return result;
  }
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) result.different.push(at);
  return result;
}

for (const kind of databaseKinds) {
  describe(`GET /api/daily_papers on ${kind.kind}`, { skip: kind.skip }, () => {
    it("answers a day ingested from Hugging Face's own response with the same items, keys and values", async () => {
      await withStore(kind, async (store) => {
        const summary = await ingest(store, readHfDaily(RAW_DAY));
        assert.equal(summary.failed, 0);
        const raw = JSON.parse(fs.readFileSync(RAW_DAY, "utf8")) as Item[];

        const { status, body } = await getJson(testApp(store), "/api/daily_papers?date=2026-08-21");
        assert.equal(status, 200);
        const ours = body as Item[];
        assert.deepEqual(
          ours.map((i) => i.paper.id),
          raw.map((i) => i.paper.id),
          "same papers in Hugging Face's order (most upvoted first)",
        );

        const missing = new Set<string>();
        ours.forEach((item, i) => {
          const { missing: lacking, different } = compare(item, raw[i]);
          assert.deepEqual(different, [], `${item.paper.id}: every value we give equals Hugging Face's`);
          for (const key of lacking) missing.add(key);
        });
        // The only things Hugging Face says that we do not keep: an author slot's claimed HF
        // account (`user`) and its claim status. Everything else is there, key for key.
        assert.deepEqual([...missing].sort(), [
          ".paper.authors[].status",
          ".paper.authors[].statusLastChangedAt",
          ".paper.authors[].user",
        ]);
      });
    });

    it("serves the newest demo day in Hugging Face's shape, pages with Link headers, and rejects bad parameters", async () => {
      await withStore(kind, async (store) => {
        await ingest(store, readJsonLines(DEMO_CORPUS));
        const app = testApp(store);
        const newest = await store.feed.latestDay();
        assert.ok(newest);

        const day = await getJson(app, `/api/daily_papers?date=${newest}`);
        assert.equal(day.status, 200);
        const items = day.body as Item[];
        assert.ok(items.length >= 10, `the newest day has ${items.length} papers`);
        for (const item of items) {
          assert.match(String(item.publishedAt), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
          assert.equal(typeof item.paper.id, "string");
          assert.equal(typeof item.isAuthorParticipating, "boolean");
          assert.ok(item.paper.authors.length > 0);
        }
        const upvotes = items.map((i) => (i.paper as unknown as { upvotes: number }).upvotes);
        assert.deepEqual(
          upvotes,
          [...upvotes].sort((a, b) => b - a),
        );

        // Without a date: the latest papers, paged, each page linking to the next.
        const first = await getJson(app, "/api/daily_papers?limit=7");
        assert.equal((first.body as Item[]).length, 7);
        const link = first.response.headers.get("link");
        assert.match(link ?? "", /^<http:\/\/localhost:3000\/api\/daily_papers\?limit=7&p=1>; rel="next"$/);
        // Links name the site's public address (PAPERBOY_BASE_URL), whatever Host the client sent.
        const spoofed = await app.request("http://evil.example/api/daily_papers?limit=7", {
          headers: { Host: "evil.example" },
        });
        assert.match(spoofed.headers.get("link") ?? "", /^<http:\/\/localhost:3000\/api\/daily_papers\?limit=7&p=1>/);
        const second = await getJson(app, "/api/daily_papers?limit=7&p=1");
        const overlap = (second.body as Item[]).filter((b) =>
          (first.body as Item[]).some((a) => a.paper.id === b.paper.id),
        );
        assert.deepEqual(overlap, []);

        // The last page of a day has no next link.
        const whole = await getJson(app, `/api/daily_papers?date=${newest}&limit=100`);
        assert.equal(whole.response.headers.get("link"), null);

        const week = await getJson(app, "/api/daily_papers?week=2026-W34&limit=100");
        assert.ok((week.body as Item[]).length > items.length, "a week holds more than its last day");
        const month = await getJson(app, "/api/daily_papers?month=2026-08&sort=trending&limit=5");
        assert.equal((month.body as Item[]).length, 5);

        const submitter = (items[0] as { submittedBy?: { name: string } }).submittedBy?.name;
        assert.ok(submitter);
        const bySubmitter = await getJson(app, `/api/daily_papers?submitter=${submitter}&limit=100`);
        for (const item of bySubmitter.body as { submittedBy: { name: string } }[]) {
          assert.equal(item.submittedBy.name, submitter);
        }

        const empty = await getJson(app, "/api/daily_papers?date=1999-01-01");
        assert.deepEqual(empty.body, []);

        for (const [query, named] of [
          ["limit=0", "limit"],
          ["limit=101", "limit"],
          ["limit=abc", "limit"],
          ["p=-1", "p"],
          ["date=2026-02-30", "date"],
          ["date=yesterday", "date"],
          ["week=2026-W54", "week"],
          ["month=2026-13", "month"],
          ["sort=upvotes", "sort"],
          ["date=2026-08-21&week=2026-W34", "only one"],
          ["submitter=%00", "submitter"],
        ] as const) {
          const bad = await getJson(app, `/api/daily_papers?${query}`);
          assert.equal(bad.status, 400, query);
          assert.match((bad.body as { error: string }).error, new RegExp(named), query);
        }
      });
    });
  });
}
