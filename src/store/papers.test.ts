import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { parseQuery } from "../search/query.ts";

const base: PaperRecord = {
  id: "2501.00010",
  title: "Scaling Laws for Data Filtering",
  abstract: "We study how filtering pretraining data changes scaling behaviour.",
  authors: [{ name: "Ada Lovelace", affiliation: "Analytical Engines Ltd" }, { name: "Alan Turing" }],
  categories: ["cs.CL", "cs.LG"],
  version: 1,
  versions: [{ version: 1, created: "2025-01-02T15:00:00.000Z" }],
  publishedAt: "2025-01-02T15:00:00.000Z",
  feed: { date: "2025-01-02", source: "arxiv" },
};

for (const kind of databaseKinds) {
  describe(`paper store on ${kind.kind}`, { skip: kind.skip }, () => {
    test("stores a paper with ordered authors, primary category first, and finds it by full text", () =>
      withStore(kind, async (store) => {
        assert.deepEqual(await store.papers.upsertBatch([base]), ["inserted"]);
        const paper = await store.papers.get("2501.00010");
        assert.ok(paper);
        assert.equal(paper.title, base.title);
        assert.deepEqual(
          paper.authors.map((a) => a.name),
          ["Ada Lovelace", "Alan Turing"],
        );
        assert.equal(paper.authors[0]?.affiliation, "Analytical Engines Ltd");
        assert.deepEqual(paper.categories, ["cs.CL", "cs.LG"]);
        assert.equal(paper.primaryCategory, "cs.CL");
        assert.equal(paper.publishedAt, "2025-01-02T15:00:00.000Z");

        const db = store.connection.db;
        const hits =
          store.kind === "sqlite"
            ? await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'filtering'`.execute(
                db,
              )
            : await sql<{
                n: number;
              }>`SELECT count(*) AS n FROM papers WHERE search_vector @@ to_tsquery('english', 'filtering')`.execute(
                db,
              );
        assert.equal(Number(hits.rows[0]?.n), 1);
      }));

    test("storing the same records again changes nothing", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([base, { ...base, id: "2501.00011", title: "Another" }]);
        assert.deepEqual(await store.papers.upsertBatch([base, { ...base, id: "2501.00011", title: "Another" }]), [
          "unchanged",
          "unchanged",
        ]);
        assert.equal(await store.papers.count(), 2);
      }));

    test("a newer version updates the paper and an older one only fills gaps", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([base]);
        const v2: PaperRecord = {
          ...base,
          title: "Scaling Laws for Data Filtering (revised)",
          version: 2,
          versions: [...(base.versions ?? []), { version: 2, created: "2025-02-01T10:00:00.000Z" }],
          doi: null,
        };
        assert.deepEqual(await store.papers.upsertBatch([v2]), ["updated"]);
        assert.deepEqual(await store.papers.upsertBatch([{ ...base, doi: "10.1000/xyz" }]), ["updated"]);
        const paper = await store.papers.get(base.id);
        assert.equal(paper?.title, "Scaling Laws for Data Filtering (revised)");
        assert.equal(paper?.version, 2);
        assert.equal(paper?.updatedAt, "2025-02-01T10:00:00.000Z");
        assert.equal(paper?.publishedAt, "2025-01-02T15:00:00.000Z");
        assert.equal(paper?.doi, "10.1000/xyz", "the older record fills the missing DOI");
      }));

    test("a Hugging Face record adds upvotes and moves the paper to its curated feed day, keeping arXiv fields", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([base]);
        const hf: PaperRecord = {
          id: base.id,
          title: base.title,
          abstract: base.abstract,
          authors: [
            { name: "Ada Lovelace", hfId: "hf-1" },
            { name: "Alan Turing", hfId: "hf-2" },
          ],
          publishedAt: "2025-01-02T00:00:00.000Z",
          upvotes: 42,
          githubRepo: "https://github.com/example/filtering",
          feed: { date: "2025-01-03", source: "hf", submittedBy: { name: "akhaliq", fullname: "AK" } },
        };
        assert.deepEqual(await store.papers.upsertBatch([hf]), ["updated"]);
        assert.deepEqual(await store.papers.upsertBatch([hf]), ["unchanged"]);
        // The arXiv default date must not come back when the arXiv record is seen again.
        assert.deepEqual(await store.papers.upsertBatch([base]), ["unchanged"]);

        const paper = await store.papers.get(base.id);
        assert.equal(paper?.upvotes, 42);
        assert.deepEqual(paper?.categories, ["cs.CL", "cs.LG"]);
        assert.equal(paper?.authors[0]?.affiliation, "Analytical Engines Ltd");
        assert.equal(paper?.authors[0]?.hfId, "hf-1");
        assert.equal(paper?.githubRepo, "https://github.com/example/filtering");

        const onArxivDay = await store.feed.range({ from: "2025-01-02", to: "2025-01-02" });
        assert.equal(onArxivDay.total, 0);
        const onHfDay = await store.feed.range({ from: "2025-01-03", to: "2025-01-03" });
        assert.equal(onHfDay.total, 1);
        assert.deepEqual(onHfDay.items[0]?.submittedBy, { name: "akhaliq", fullname: "AK" });
      }));

    test("feed days list papers by upvotes, each paper once in a range, with neighbours for navigation", () =>
      withStore(kind, async (store) => {
        const day = (id: string, date: string, upvotes: number): PaperRecord => ({
          ...base,
          id,
          title: `Paper ${id}`,
          upvotes,
          feed: { date, source: "hf" },
        });
        await store.papers.upsertBatch([
          day("2501.00001", "2025-01-06", 3),
          day("2501.00002", "2025-01-06", 30),
          day("2501.00003", "2025-01-08", 7),
          day("2501.00003", "2025-01-09", 7),
        ]);
        const monday = await store.feed.range({ from: "2025-01-06", to: "2025-01-06" });
        assert.deepEqual(
          monday.items.map((i) => i.paper.id),
          ["2501.00002", "2501.00001"],
        );
        const week = await store.feed.range({ from: "2025-01-06", to: "2025-01-12" });
        assert.equal(week.total, 3);
        assert.equal(week.items.find((i) => i.paper.id === "2501.00003")?.feedDate, "2025-01-08");
        assert.equal(await store.feed.latestDay(), "2025-01-09");
        assert.deepEqual(await store.feed.neighbours("2025-01-08"), { previous: "2025-01-06", next: "2025-01-09" });
        assert.deepEqual(await store.feed.neighbours("2025-01-06"), { previous: null, next: "2025-01-08" });
      }));

    test("keeps old-style ids and counts what it holds", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([{ ...base, id: "hep-th/9901001", categories: ["hep-th"] }, base]);
        assert.equal((await store.papers.get("hep-th/9901001"))?.primaryCategory, "hep-th");
        const stats = await store.stats();
        assert.equal(stats.papers, 2);
        assert.equal(stats.authors, 2);
        assert.equal(stats.feedDays, 1);
      }));

    test("two writers storing the same papers at once leave each paper whole, with its own authors and categories", () =>
      withStore(kind, async (store) => {
        const ids = Array.from({ length: 40 }, (_, i) => `2502.${String(i).padStart(5, "0")}`);
        const older = ids.map((id): PaperRecord => ({ ...base, id, title: `Alpha draft ${id}` }));
        const newer = ids.map(
          (id): PaperRecord => ({
            ...base,
            id,
            title: `Beta release ${id}`,
            authors: [{ name: "Grace Hopper" }],
            categories: ["cs.LG", "cs.AI"],
            version: 2,
            versions: [...(base.versions ?? []), { version: 2, created: "2025-02-01T10:00:00.000Z" }],
          }),
        );
        // On PostgreSQL each batch takes its own connection. Whichever commits first, the newer version is what stays.
        await Promise.all([store.papers.upsertBatch(older), store.papers.upsertBatch(newer)]);
        assert.equal(await store.papers.count(), ids.length);
        for (const paper of await store.papers.getMany(ids)) {
          assert.equal(paper.title, `Beta release ${paper.id}`);
          assert.deepEqual(
            paper.authors.map((a) => a.name),
            ["Grace Hopper"],
          );
          assert.deepEqual(paper.categories, ["cs.LG", "cs.AI"]);
        }
        const rows = async (table: "paper_authors" | "paper_categories") =>
          Number(
            (
              await store.connection.db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as("n"))
                .executeTakeFirstOrThrow()
            ).n,
          );
        assert.equal(await rows("paper_authors"), ids.length);
        assert.equal(await rows("paper_categories"), ids.length * 2);
        const found = async (words: string) =>
          (await store.search.keyword(parseQuery(words).query, { limit: 100 })).hits.length;
        assert.equal(await found("beta"), ids.length);
        assert.equal(await found("alpha"), 0);
      }));

    test("a failed batch leaves what was stored before untouched", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([base]);
        const broken = { ...base, id: "2501.00099", authors: [{ name: null }] } as unknown as PaperRecord;
        await assert.rejects(store.papers.upsertBatch([{ ...base, title: "Changed" }, broken]));
        assert.equal((await store.papers.get(base.id))?.title, base.title);
        assert.equal(await store.papers.count(), 1);
      }));
  });
}
