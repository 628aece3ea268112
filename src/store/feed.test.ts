import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { Paper } from "../papers/paper.ts";
import type { PaperRecord } from "../papers/record.ts";
import type { FeedQuery, FeedSort, Store } from "./index.ts";

// Three months of papers, with tied upvotes and tied publication times, plus one paper never on
// the feed: a month is ranked by sorting its entries, the whole archive by walking an index.
const records: PaperRecord[] = Array.from({ length: 12 }, (_, i) => {
  const month = `2025-0${1 + (i % 3)}`;
  const day = String(10 + (i % 4)).padStart(2, "0");
  return {
    id: `2501.${String(i + 1).padStart(5, "0")}`,
    title: `Paper ${i}`,
    abstract: "About things.",
    authors: [{ name: "Ada Lovelace" }],
    categories: ["cs.LG"],
    publishedAt: `${month}-${day}T10:00:00.000Z`,
    upvotes: [0, 3, 3, 10][i % 4],
    feed: { date: `${month}-${day}`, source: "hf" },
  };
});
const offFeed: PaperRecord = { ...records[0], id: "2501.99999", title: "Not on the feed", feed: undefined };

const orders: Record<FeedSort, (a: Paper, b: Paper) => number> = {
  upvotes: (a, b) => b.upvotes - a.upvotes || b.publishedAt.localeCompare(a.publishedAt) || b.id.localeCompare(a.id),
  date: (a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.id.localeCompare(a.id),
  trending: (a, b) => b.trendingScore - a.trendingScore || b.id.localeCompare(a.id),
};

/** Every page of a range, two papers at a time, checking `hasMore` on the way. */
async function allPages(store: Store, query: FeedQuery): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 2) {
    const slice = await store.feed.slice({ ...query, limit: 2, offset });
    ids.push(...slice.items.map((item) => item.paper.id));
    if (!slice.hasMore) return ids;
    assert.equal(slice.items.length, 2);
  }
}

for (const kind of databaseKinds) {
  describe(`feed on ${kind.kind}`, { skip: kind.skip }, () => {
    it("a page of the whole archive read after a write is the page as it is now, not where the last one ended", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([...records, offFeed]);
        const whole = { from: "0000-01-01", to: "9999-12-31", sort: "date" as const, limit: 3 };
        const ids = (slice: { items: { paper: Paper }[] }) => slice.items.map((item) => item.paper.id);
        const first = ids(await store.feed.slice({ ...whole, offset: 0 }));
        assert.deepEqual(
          ids(await store.feed.slice({ ...whole, offset: 3 })),
          ids(await store.feed.slice({ ...whole, limit: 6 })).slice(3),
        );
        // A newer paper moves every other one down a place.
        await store.papers.upsertBatch([
          {
            ...offFeed,
            id: "2504.00001",
            title: "Newest",
            publishedAt: "2025-04-01T10:00:00.000Z",
            feed: { date: "2025-04-01", source: "hf" },
          },
        ]);
        const second = ids(await store.feed.slice({ ...whole, offset: 3 }));
        assert.deepEqual(second, ids(await store.feed.slice({ ...whole, limit: 6 })).slice(3));
        assert.equal(second[0], first.at(-1), "the first page's last paper, one place down");
      }));

    it("pages a month and the whole archive in the same order for every sort", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([...records, offFeed]);
        const onFeed = await store.papers.getMany(records.map((r) => r.id));
        const february = onFeed.filter((p) => p.publishedAt.startsWith("2025-02"));
        for (const sort of Object.keys(orders) as FeedSort[]) {
          const expected = (papers: Paper[]) => [...papers].sort(orders[sort]).map((p) => p.id);
          const whole = { from: "0000-01-01", to: "9999-12-31", sort };
          assert.deepEqual(await allPages(store, whole), expected(onFeed), `whole archive by ${sort}`);
          const month = { from: "2025-02-01", to: "2025-02-28", sort };
          assert.deepEqual(await allPages(store, month), expected(february), `February by ${sort}`);
          assert.equal((await store.feed.range({ ...month, limit: 1 })).total, february.length);
        }
        assert.equal(await store.feed.count({ from: "0000-01-01", to: "9999-12-31" }), records.length);
        const [first] = (await store.feed.slice({ from: "2025-02-01", to: "2025-02-28", limit: 1 })).items;
        assert.equal(first?.feedDate, first?.paper.publishedAt.slice(0, 10));
      }));
  });
}
