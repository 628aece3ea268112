import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { trendingScore } from "../papers/trending.ts";
import type { Store } from "./index.ts";

const now = "2026-08-21T12:00:00.000Z";

const paper: PaperRecord = {
  id: "2608.00001",
  title: "Votes That Add Up",
  abstract: "Counting under concurrency.",
  authors: [{ name: "Ada Lovelace" }],
  categories: ["cs.DB"],
  publishedAt: "2026-08-19T17:00:00.000Z",
  upvotes: 7,
  numComments: 2,
  feed: { date: "2026-08-20", source: "arxiv" },
};

async function user(store: Store, name: string) {
  const created = await store.users.create({
    username: name,
    email: `${name}@example.org`,
    passwordHash: "$argon2id$test",
    verified: true,
    now,
  });
  assert.ok(typeof created === "object", `user ${name} created`);
  return created;
}

async function counts(store: Store, id = paper.id) {
  const stored = await store.papers.get(id);
  assert.ok(stored);
  return {
    upvotes: stored.upvotes,
    localUpvotes: stored.localUpvotes,
    numComments: stored.numComments,
    trendingMatches: stored.trendingScore === trendingScore(stored.upvotes, stored.publishedAt),
  };
}

for (const kind of databaseKinds) {
  describe(`community store on ${kind.kind}`, { skip: kind.skip }, () => {
    test("usernames and addresses are unique whatever their case, and either one logs in", () =>
      withStore(kind, async (store) => {
        const ada = await user(store, "Ada");
        assert.equal(ada.username, "Ada");
        assert.equal(
          await store.users.create({ username: "ADA", email: "x@example.org", passwordHash: "h", now }),
          "username-taken",
        );
        assert.equal(
          await store.users.create({ username: "Grace", email: "ADA@Example.org", passwordHash: "h", now }),
          "email-taken",
        );
        assert.equal((await store.users.credentials("ada"))?.user.id, ada.id);
        assert.equal((await store.users.credentials(" Ada@EXAMPLE.org "))?.user.id, ada.id);
        assert.equal(await store.users.credentials("nobody"), null);
      }));

    test("a vote toggles once per user, and re-ingesting keeps local votes on top of Hugging Face's", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        const [a, b] = [await user(store, "ada"), await user(store, "bob")];
        assert.deepEqual(await store.votes.set(a.id, paper.id, true, now), { upvotes: 8, upvoted: true });
        assert.deepEqual(await store.votes.set(a.id, paper.id, true, now), { upvotes: 8, upvoted: true });
        assert.deepEqual(await store.votes.set(b.id, paper.id, true, now), { upvotes: 9, upvoted: true });
        assert.deepEqual(await store.votes.set(b.id, paper.id, false, now), { upvotes: 8, upvoted: false });
        assert.deepEqual(await store.votes.set(b.id, paper.id, false, now), { upvotes: 8, upvoted: false });
        assert.deepEqual(await counts(store), { upvotes: 8, localUpvotes: 1, numComments: 2, trendingMatches: true });
        assert.equal(await store.votes.set(a.id, "2608.99999", true, now), null);

        // Hugging Face now says 20 upvotes: ours stays on top; saying nothing keeps its last figure.
        assert.deepEqual(await store.papers.upsertBatch([{ ...paper, upvotes: 20 }]), ["updated"]);
        assert.deepEqual(await counts(store), { upvotes: 21, localUpvotes: 1, numComments: 2, trendingMatches: true });
        const { upvotes: _, numComments: __, ...silent } = paper;
        assert.deepEqual(await store.papers.upsertBatch([{ ...silent, upvotes: 20 }]), ["unchanged"]);
        assert.deepEqual(await store.papers.upsertBatch([{ ...silent, title: "Votes That Still Add Up" }]), [
          "updated",
        ]);
        assert.deepEqual(await counts(store), { upvotes: 21, localUpvotes: 1, numComments: 2, trendingMatches: true });
        assert.deepEqual([...(await store.votes.upvotedAmong(a.id, [paper.id, "2608.99999"]))], [paper.id]);
      }));

    test("concurrent votes and toggles leave the count equal to the votes held", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        const users = await Promise.all(Array.from({ length: 20 }, (_, i) => user(store, `voter${i}`)));
        // Each user: on, off, on, and on again for even users; on, off for odd users.
        await Promise.all(
          users.flatMap((u, i) =>
            (i % 2 === 0 ? [true, false, true, true] : [true, false]).map((up) =>
              store.votes.set(u.id, paper.id, up, now),
            ),
          ),
        );
        const held = await store.connection.db
          .selectFrom("votes")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("paper_id", "=", paper.id)
          .executeTakeFirstOrThrow();
        const stored = await counts(store);
        assert.equal(stored.upvotes, 7 + Number(held.n));
        assert.equal(stored.localUpvotes, Number(held.n));
        assert.equal(stored.trendingMatches, true);
      }));

    test("comments thread, count, edit within a window, delete keeping replies, and are reported once", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        const [a, b] = [await user(store, "ada"), await user(store, "bob")];
        const first = await store.comments.add({
          paperId: paper.id,
          userId: a.id,
          parentId: null,
          body: "**Nice**",
          now,
        });
        assert.ok(typeof first === "object");
        const reply = await store.comments.add({
          paperId: paper.id,
          userId: b.id,
          parentId: first.id,
          body: "Agreed",
          now,
        });
        assert.ok(typeof reply === "object");
        assert.equal(reply.parentId, first.id);
        assert.equal((await counts(store)).numComments, 4);
        assert.equal(
          await store.comments.add({ paperId: "2608.00002", userId: a.id, parentId: null, body: "x", now }),
          "no-paper",
        );
        assert.equal(
          await store.comments.add({ paperId: paper.id, userId: a.id, parentId: 999999, body: "x", now }),
          "no-parent",
        );

        const later = "2026-08-21T12:10:00.000Z";
        assert.equal(
          await store.comments.edit({ id: first.id, userId: b.id, body: "hijack", now: later, since: now }),
          null,
        );
        assert.equal(
          await store.comments.edit({ id: first.id, userId: a.id, body: "late", now: later, since: later }),
          null,
        );
        const edited = await store.comments.edit({
          id: first.id,
          userId: a.id,
          body: "**Nicer**",
          now: later,
          since: now,
        });
        assert.equal(edited?.body, "**Nicer**");
        assert.equal(edited?.editedAt, later);

        assert.equal(await store.comments.report({ commentId: reply.id, userId: a.id, reason: "spam", now }), true);
        assert.equal(await store.comments.report({ commentId: reply.id, userId: a.id, reason: "spam", now }), true);
        assert.equal(await store.comments.reportCount(reply.id), 1);

        assert.equal(await store.comments.delete({ id: first.id, userId: b.id, now }), false);
        assert.equal(await store.comments.delete({ id: first.id, userId: a.id, now }), true);
        assert.equal(await store.comments.delete({ id: first.id, userId: a.id, now }), false);
        const thread = await store.comments.forPaper(paper.id);
        assert.deepEqual(
          thread.map((c) => [c.id, c.parentId, c.deleted, c.body, c.author?.username ?? null]),
          [
            [first.id, null, true, "", null],
            [reply.id, first.id, false, "Agreed", "bob"],
          ],
        );
        assert.equal((await counts(store)).numComments, 3);
        assert.equal(
          await store.comments.add({ paperId: paper.id, userId: b.id, parentId: first.id, body: "x", now }),
          "no-parent",
        );
      }));

    test("a paper is submitted once, concurrent submissions included, within a daily limit", () =>
      withStore(kind, async (store) => {
        const others = ["2608.00002", "2608.00003"];
        await store.papers.upsertBatch([paper, ...others.map((id) => ({ ...paper, id }))]);
        const [a, b] = [await user(store, "ada"), await user(store, "bob")];
        const by = (name: string) => ({ name, type: "user" });
        const outcomes = await Promise.all(
          [a, b].map((u) =>
            store.submissions.submit({
              paperId: paper.id,
              userId: u.id,
              submittedBy: by(u.username),
              day: "2026-08-21",
              dailyLimit: 2,
            }),
          ),
        );
        assert.deepEqual(outcomes.map((o) => o.status).sort(), ["exists", "submitted"]);
        const entries = await store.connection.db
          .selectFrom("feed_entries")
          .select(["feed_date", "source", "submitter_id"])
          .where("paper_id", "=", paper.id)
          .execute();
        assert.equal(entries.length, 1, "the announcement-day entry gave way");
        assert.equal(entries[0]?.feed_date, "2026-08-21");
        assert.equal(entries[0]?.source, "user");

        // Re-ingesting the paper's arXiv or a same-day pick keeps the submitter.
        await store.papers.upsertBatch([paper, { ...paper, feed: { date: "2026-08-21", source: "hf" } }]);
        const [item] = (await store.feed.range({ from: "2026-08-21", to: "2026-08-21" })).items;
        assert.equal(item?.source, "user");

        const submitter = entries[0]?.submitter_id === a.id ? a : b;
        const submit = (id: string) =>
          store.submissions.submit({
            paperId: id,
            userId: submitter.id,
            submittedBy: by(submitter.username),
            day: "2026-08-21",
            dailyLimit: 2,
          });
        assert.equal((await submit("2608.00002")).status, "submitted");
        assert.deepEqual(await submit("2608.00003"), { status: "limit", limit: 2 });
        assert.equal((await submit("2608.99999")).status, "no-paper");
      }));

    test("deleting an account takes its votes and comment bodies, keeps replies, and ends its sessions", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        const [a, b] = [await user(store, "ada"), await user(store, "bob")];
        await store.votes.set(a.id, paper.id, true, now);
        await store.votes.set(b.id, paper.id, true, now);
        const first = await store.comments.add({ paperId: paper.id, userId: a.id, parentId: null, body: "mine", now });
        assert.ok(typeof first === "object");
        await store.comments.add({ paperId: paper.id, userId: b.id, parentId: first.id, body: "reply", now });
        await store.sessions.create({
          idHash: "h1",
          userId: a.id,
          csrfToken: "c",
          createdAt: now,
          lastSeenAt: now,
          expiresAt: "2026-09-21T12:00:00.000Z",
        });
        assert.equal((await store.sessions.find("h1", now))?.user.id, a.id);

        await store.users.delete(a.id, now);
        assert.equal(await store.sessions.find("h1", now), null);
        assert.equal(await store.users.credentials("ada"), null);
        assert.equal((await store.users.byUsername("ada"))?.deleted, true);
        assert.equal(
          await store.users.create({ username: "ada", email: "new@example.org", passwordHash: "h", now }),
          "username-taken",
        );
        assert.deepEqual(await counts(store), { upvotes: 8, localUpvotes: 1, numComments: 3, trendingMatches: true });
        const thread = await store.comments.forPaper(paper.id);
        assert.deepEqual(
          thread.map((c) => [c.deleted, c.body]),
          [
            [true, ""],
            [false, "reply"],
          ],
        );
        assert.equal(await store.votes.set(a.id, paper.id, true, now), null);
      }));

    test("mailed links work once, even when used twice at the same moment, and expire", () =>
      withStore(kind, async (store) => {
        const a = await user(store, "ada");
        const expiresAt = "2026-08-22T12:00:00.000Z";
        await store.emailTokens.create({
          tokenHash: "t1",
          userId: a.id,
          purpose: "reset",
          email: a.email ?? "",
          now,
          expiresAt,
        });
        assert.deepEqual(await store.emailTokens.peek("t1", "reset", now), { userId: a.id, email: a.email });
        assert.equal(await store.emailTokens.consume("t1", "verify", now), null);
        const uses = await Promise.all([1, 2, 3].map(() => store.emailTokens.consume("t1", "reset", now)));
        assert.equal(uses.filter((u) => u?.userId === a.id).length, 1);
        await store.emailTokens.create({ tokenHash: "t2", userId: a.id, purpose: "reset", email: "x", now, expiresAt });
        assert.equal(await store.emailTokens.consume("t2", "reset", expiresAt), null);
      }));

    test("API tokens authenticate until revoked, and only their owner revokes them", () =>
      withStore(kind, async (store) => {
        const [a, b] = [await user(store, "ada"), await user(store, "bob")];
        const token = await store.apiTokens.create({
          userId: a.id,
          name: "laptop",
          scope: "read",
          tokenHash: "th",
          prefix: "pb_abcd",
          now,
        });
        assert.equal((await store.apiTokens.authenticate("th", now))?.user.username, "ada");
        assert.deepEqual(
          (await store.apiTokens.list(a.id)).map((t) => [t.name, t.scope]),
          [["laptop", "read"]],
        );
        assert.equal(await store.apiTokens.revoke(b.id, token.id, now), false);
        assert.equal(await store.apiTokens.revoke(a.id, token.id, now), true);
        assert.equal(await store.apiTokens.authenticate("th", now), null);
        assert.deepEqual(await store.apiTokens.list(a.id), []);
      }));
  });
}
