import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { watchForDataVersion } from "./data-version.ts";
import type { Store } from "./index.ts";

const paper = (n: number, title = `Paper ${n}`): PaperRecord => ({
  id: `2502.${String(n).padStart(5, "0")}`,
  title,
  abstract: `About ${n}.`,
  authors: [{ name: "Version Keeper" }],
  categories: ["cs.DB"],
  publishedAt: "2025-02-03T10:00:00.000Z",
  feed: { date: "2025-02-03", source: "arxiv" },
});

const counted = async (store: Store) =>
  Number((await sql<{ n: number }>`SELECT count(*) AS n FROM papers`.execute(store.connection.db)).rows[0]?.n);

for (const kind of databaseKinds) {
  describe(`data version and paper count on ${kind.kind}`, { skip: kind.skip }, () => {
    test("the version moves with every write that changes a page, and only then", () =>
      withStore(kind, async (store) => {
        const start = await store.dataVersion.current();
        await store.papers.upsertBatch([paper(1), paper(2)]);
        const afterInsert = await store.dataVersion.current();
        assert.ok(afterInsert > start);
        await store.papers.upsertBatch([paper(1), paper(2)]);
        assert.equal(await store.dataVersion.current(), afterInsert, "an unchanged re-ingest writes nothing");
        await store.papers.get("2502.00001");
        assert.equal(await store.dataVersion.current(), afterInsert, "reads leave it alone");
        await store.connection.db.updateTable("papers").set({ upvotes: 5 }).where("id", "=", "2502.00001").execute();
        const afterVote = await store.dataVersion.current();
        assert.ok(afterVote > afterInsert, "an upvote moves it");
        await store.connection.db.deleteFrom("feed_entries").where("paper_id", "=", "2502.00002").execute();
        assert.ok((await store.dataVersion.current()) > afterVote, "a feed change moves it");
        const beforeBump = await store.dataVersion.current();
        await store.dataVersion.bump();
        assert.equal(await store.dataVersion.current(), beforeBump + 1);
      }));

    test("accounts and comments move it, even an edit that changes no paper", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper(1)]);
        const now = "2025-02-04T10:00:00.000Z";
        const before = await store.dataVersion.current();
        const user = await store.users.create({
          username: "keeper",
          email: "keeper@example.org",
          passwordHash: "$argon2id$test",
          verified: true,
          now,
        });
        assert.ok(typeof user === "object");
        const afterAccount = await store.dataVersion.current();
        assert.ok(afterAccount > before, "a new account moves it");
        const added = await store.comments.add({
          paperId: "2502.00001",
          userId: user.id,
          parentId: null,
          body: "First.",
          now,
        });
        assert.ok(typeof added === "object");
        const afterComment = await store.dataVersion.current();
        assert.ok(afterComment > afterAccount);
        const id = await store.connection.db.selectFrom("comments").select("id").executeTakeFirstOrThrow();
        await store.comments.edit({
          id: id.id,
          userId: user.id,
          body: "First, edited.",
          now,
          since: "2025-02-04T09:00:00.000Z",
        });
        assert.ok((await store.dataVersion.current()) > afterComment, "an edit moves it");
      }));

    test("a table watched by a later migration moves the version too", () =>
      withStore(kind, async (store) => {
        const { db } = store.connection;
        await sql`CREATE TABLE watched_votes (paper_id text NOT NULL, user_id integer NOT NULL)`.execute(db);
        await watchForDataVersion(db, kind.kind, "watched_votes");
        const start = await store.dataVersion.current();
        await sql`INSERT INTO watched_votes VALUES ('2502.00001', 1)`.execute(db);
        const afterInsert = await store.dataVersion.current();
        assert.ok(afterInsert > start);
        await sql`DELETE FROM watched_votes`.execute(db);
        assert.ok((await store.dataVersion.current()) > afterInsert);
      }));

    test("the paper count stays exact through inserts, upserts and deletes", () =>
      withStore(kind, async (store) => {
        assert.equal(await store.papers.count(), 0);
        await store.papers.upsertBatch(Array.from({ length: 30 }, (_, i) => paper(i + 1)));
        assert.equal(await store.papers.count(), 30);
        // An upsert that updates some papers and adds others counts only the new ones.
        await store.papers.upsertBatch([paper(1, "Retitled"), paper(2, "Retitled too"), paper(31), paper(32)]);
        assert.equal(await store.papers.count(), 32);
        await store.connection.db.deleteFrom("papers").where("id", "in", ["2502.00003", "2502.00004"]).execute();
        assert.equal(await store.papers.count(), 30);
        assert.equal(await store.papers.count(), await counted(store));
        assert.equal((await store.stats()).papers, 30);
      }));
  });
}
