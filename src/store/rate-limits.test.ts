import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import { RateLimitRepository } from "./rate-limits.ts";

for (const kind of databaseKinds) {
  describe(`rate limits on ${kind.kind}`, { skip: kind.skip }, () => {
    it("count each bucket's hits by their cost within a window, and start again in the next", () =>
      withStore(kind, async (store) => {
        let now = Date.UTC(2026, 0, 1, 12, 0, 10);
        const limits = new RateLimitRepository(store.connection.db, () => now);
        assert.deepEqual(await limits.hit("api:192.0.2.1", 1, 3, 60), {
          allowed: true,
          count: 1,
          retryAfterSeconds: 50,
        });
        assert.equal((await limits.hit("api:192.0.2.1", 2, 3, 60)).allowed, true);
        assert.deepEqual(await limits.hit("api:192.0.2.1", 1, 3, 60), {
          allowed: false,
          count: 4,
          retryAfterSeconds: 50,
        });
        assert.equal((await limits.hit("api:192.0.2.2", 3, 3, 60)).allowed, true, "another client has its own");
        assert.equal((await limits.hit("login:192.0.2.1", 1, 3, 60)).count, 1, "another bucket has its own");

        now += 45_000;
        assert.equal((await limits.hit("api:192.0.2.1", 1, 3, 60)).retryAfterSeconds, 5);
        now += 10_000;
        assert.deepEqual(await limits.hit("api:192.0.2.1", 1, 3, 60), {
          allowed: true,
          count: 1,
          retryAfterSeconds: 55,
        });
      }));

    it("are exact under concurrent hits, and forget windows that have ended", () =>
      withStore(kind, async (store) => {
        let now = Date.UTC(2026, 0, 1, 12, 0, 0);
        const limits = new RateLimitRepository(store.connection.db, () => now);
        const hits = await Promise.all(Array.from({ length: 40 }, () => limits.hit("api:198.51.100.7", 1, 30, 60)));
        assert.deepEqual(
          hits.map((h) => h.count).sort((a, b) => a - b),
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        assert.equal(hits.filter((h) => h.allowed).length, 30);

        now += 3600_000;
        await limits.hit("api:198.51.100.8", 1, 30, 60);
        const rows = await store.connection.db.selectFrom("rate_limits").select("bucket").execute();
        assert.deepEqual(
          rows.map((r) => r.bucket),
          ["api:198.51.100.8"],
        );
      }));
  });
}
