import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PaperRecord } from "../src/papers/record.ts";
import type { Store } from "../src/store/index.ts";
import { communityApp, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const nvidia = { _id: "60262b67268c201cdc8b7d43", name: "nvidia", fullname: "NVIDIA", avatar: "https://x.test/n.png" };

const papers: PaperRecord[] = [
  {
    id: "2608.40001",
    title: "Convolutional Nets Revisited",
    authors: [{ name: "Yann LeCun" }, { name: "Ada Lovelace" }],
    categories: ["cs.CV"],
    publishedAt: "2026-08-18T17:00:00.000Z",
    upvotes: 4,
    hf: { organization: nvidia },
    feed: { date: "2026-08-19", source: "hf" },
  },
  {
    id: "2608.40002",
    title: "Learning Rates for Everyone",
    authors: [{ name: "Grace Hopper" }],
    categories: ["cs.LG"],
    publishedAt: "2026-08-19T17:00:00.000Z",
    upvotes: 9,
    hf: { organization: nvidia },
    feed: { date: "2026-08-20", source: "hf" },
  },
  {
    id: "2608.40003",
    title: "Analytical Engines",
    authors: [{ name: "Ada Lovelace" }],
    categories: ["math.HO"],
    publishedAt: "2026-08-20T17:00:00.000Z",
    upvotes: 1,
    feed: { date: "2026-08-21", source: "hf" },
  },
];

for (const kind of databaseKinds) {
  describe(`collections and follows on ${kind.kind}`, { skip: kind.skip }, () => {
    async function setUp(store: Store) {
      await store.papers.upsertBatch(papers);
      const { community } = communityApp(store);
      const ada = await verifiedUser(store, "ada");
      const bob = await verifiedUser(store, "bob");
      return { community, ada, bob };
    }

    test("a collection keeps its papers in order with notes; private ones exist for their owner only", () =>
      withStore(kind, async (store) => {
        const { community, ada, bob } = await setUp(store);
        const made = await community.collections.create(ada, { title: "Vision, mostly!", description: "Nets." });
        assert.match(made.slug, /^vision-mostly-[0-9a-f]{8}$/);
        await community.collections.addPaper(ada, made.slug, "2608.40001", "the classic");
        await community.collections.addPaper(ada, made.slug, "2608.40003");
        await community.collections.addPaper(ada, made.slug, "2608.40002");
        await community.collections.move(ada, made.slug, "2608.40002", "up");
        await community.collections.edit(ada, made.slug, { title: "Vision and more" });
        const seen = await community.collections.view(bob, made.slug);
        assert.equal(seen.title, "Vision and more");
        assert.deepEqual(
          seen.items.map((i) => [i.paper.id, i.note]),
          [
            ["2608.40001", "the classic"],
            ["2608.40002", ""],
            ["2608.40003", ""],
          ],
        );
        await assert.rejects(community.collections.addPaper(bob, made.slug, "2608.40003"), { refusal: "forbidden" });
        await assert.rejects(community.collections.edit(bob, made.slug, { title: "Mine" }), { refusal: "forbidden" });
        await assert.rejects(community.collections.addPaper(ada, made.slug, "2608.49999"), { refusal: "not-found" });

        await community.collections.edit(ada, made.slug, { private: true, order: ["2608.40003"] });
        await assert.rejects(community.collections.view(bob, made.slug), { refusal: "not-found" });
        await assert.rejects(community.collections.view(null, made.slug), { refusal: "not-found" });
        await assert.rejects(community.collections.remove(bob, made.slug), { refusal: "not-found" });
        assert.deepEqual(
          (await community.collections.view(ada, made.slug)).items.map((i) => i.paper.id),
          ["2608.40003", "2608.40001", "2608.40002"],
        );
        assert.deepEqual(await community.collections.of(ada, bob), []);
        assert.equal((await community.collections.of(ada, ada)).length, 1);
        assert.deepEqual(await store.collections.publicOnes(10), []);
        await community.collections.removePaper(ada, made.slug, "2608.40001");
        assert.equal((await community.collections.view(ada, made.slug)).paperCount, 2);
        await community.collections.remove(ada, made.slug);
        await assert.rejects(community.collections.view(ada, made.slug), { refusal: "not-found" });
      }));

    test("papers added at once each get their own place", () =>
      withStore(kind, async (store) => {
        const { community, ada } = await setUp(store);
        const extra: PaperRecord[] = Array.from({ length: 12 }, (_, i) => ({
          id: `2608.5${String(i).padStart(4, "0")}`,
          title: `Paper ${i}`,
          publishedAt: "2026-08-20T17:00:00.000Z",
        }));
        await store.papers.upsertBatch(extra);
        const { slug } = await community.collections.create(ada, { title: "Race" });
        await Promise.all(extra.map((p) => community.collections.addPaper(ada, slug, p.id)));
        await Promise.all(extra.slice(0, 4).map((p) => community.collections.addPaper(ada, slug, p.id, "again")));
        const rows = await store.connection.db
          .selectFrom("collection_papers")
          .select("position")
          .orderBy("position")
          .execute();
        assert.deepEqual(
          rows.map((r) => r.position),
          extra.map((_, i) => i),
        );
      }));

    test("My feed lists followed authors', categories' and organisations' papers, newest first, with why", () =>
      withStore(kind, async (store) => {
        const { community, ada, bob } = await setUp(store);
        assert.deepEqual((await community.follows.feed(ada, 1)).items, []);
        await community.follows.set(ada, "author", "Ada Lovelace", true);
        await community.follows.set(ada, "organization", "NVIDIA", true);
        await community.follows.set(ada, "category", "cs.LG", true);
        await assert.rejects(community.follows.set(ada, "author", "Nobody Here", true), { refusal: "not-found" });
        await assert.rejects(community.follows.set(ada, "planet" as never, "Mars", true), { refusal: "invalid" });
        const feed = await community.follows.feed(ada, 1);
        assert.deepEqual(
          feed.items.map((i) => [i.paper.id, i.reasons.map((r) => `${r.kind}:${r.value}`)]),
          [
            ["2608.40003", ["author:Ada Lovelace"]],
            ["2608.40002", ["organization:nvidia", "category:cs.LG"]],
            ["2608.40001", ["author:Ada Lovelace", "organization:nvidia"]],
          ],
        );
        assert.equal(feed.total, 3);
        assert.deepEqual((await community.follows.feed(bob, 1)).items, []);

        const organization = await store.organizations.byName("NVIDIA");
        assert.equal(organization?.name, "nvidia");
        assert.equal(organization?.fullname, "NVIDIA");
        assert.equal(await store.follows.followerCount("organization", "nvidia"), 1);
        const page = await store.organizations.papers(organization?.id ?? 0, 10, 0);
        assert.deepEqual(
          page.items.map((i) => [i.paper.id, i.feedDate]),
          [
            ["2608.40002", "2026-08-20"],
            ["2608.40001", "2026-08-19"],
          ],
        );
        await community.follows.set(ada, "organization", "nvidia", false);
        assert.equal(await store.follows.followerCount("organization", "nvidia"), 0);

        // A re-ingest that drops the organisation takes the paper off its page.
        await store.papers.upsertBatch([{ ...papers[0], hf: { organization: { name: "google" } } } as PaperRecord]);
        assert.equal((await store.organizations.byName("nvidia"))?.paperCount, 1);
        assert.equal((await store.organizations.byName("google"))?.paperCount, 1);
      }));
  });
}
