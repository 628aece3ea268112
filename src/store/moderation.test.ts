import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import type { Role, Store } from "./index.ts";

const now = "2026-08-21T12:00:00.000Z";

const paper: PaperRecord = {
  id: "2608.00035",
  title: "Moderation That Leaves a Trail",
  abstract: "Who did what, and when.",
  authors: [{ name: "Ada Lovelace" }, { name: "Grace Hopper" }],
  categories: ["cs.CY"],
  publishedAt: "2026-08-19T17:00:00.000Z",
  upvotes: 1,
  numComments: 0,
  feed: { date: "2026-08-20", source: "hf" },
};

async function user(store: Store, name: string, role: Role = "user") {
  const created = await store.users.create({
    username: name,
    email: `${name}@example.org`,
    passwordHash: "$argon2id$test",
    role,
    verified: true,
    now,
  });
  assert.ok(typeof created === "object", `user ${name} created`);
  return created;
}

async function comment(store: Store, userId: number, body: string) {
  const made = await store.comments.add({ paperId: paper.id, userId, parentId: null, body, now });
  assert.ok(typeof made === "object", `comment: ${String(made)}`);
  return made;
}

const numComments = async (store: Store) => (await store.papers.get(paper.id))?.numComments;
const onFeed = async (store: Store) =>
  (await store.feed.range({ from: "2026-01-01", to: "2026-12-31" })).items.map((i) => i.paper.id);

for (const kind of databaseKinds) {
  describe(`moderation store on ${kind.kind}`, { skip: kind.skip }, () => {
    test("a hidden comment stops counting and reads as deleted to all but moderators; each act is logged", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        const [mod, ada, bob] = [
          await user(store, "mod", "moderator"),
          await user(store, "ada"),
          await user(store, "bob"),
        ];
        const rude = await comment(store, ada.id, "rude words");
        await store.comments.add({ paperId: paper.id, userId: bob.id, parentId: rude.id, body: "calm down", now });
        await store.comments.report({ commentId: rude.id, userId: bob.id, reason: "insulting", now });
        assert.equal((await store.moderation.openReports(10))[0]?.reports[0]?.reason, "insulting");
        assert.equal(await numComments(store), 2);

        const act = { commentId: rude.id, moderatorId: mod.id, reason: "insults", now };
        assert.equal(await store.moderation.hideComment(act), "done");
        assert.equal(await store.moderation.hideComment(act), "unchanged");
        assert.equal(await numComments(store), 1);
        assert.deepEqual(await store.moderation.openReports(10), [], "hiding resolves the reports");
        const seen = (await store.comments.forPaper(paper.id)).find((c) => c.id === rude.id);
        assert.equal(seen?.body, "");
        assert.equal(seen?.author, null);
        assert.equal(seen?.hidden?.reason, "");
        const moderated = (await store.comments.forPaper(paper.id, { moderator: true })).find((c) => c.id === rude.id);
        assert.equal(moderated?.body, "rude words");
        assert.equal(moderated?.hidden?.reason, "insults");
        assert.equal(
          await store.comments.add({ paperId: paper.id, userId: bob.id, parentId: rude.id, body: "?", now }),
          "no-parent",
          "nobody answers a hidden comment",
        );

        assert.equal(await store.moderation.unhideComment({ ...act, reason: "" }), "done");
        assert.equal(await numComments(store), 2);
        const log = await store.moderation.log({ limit: 10, offset: 0 });
        assert.deepEqual(
          log.entries.map((e) => [e.moderator, e.action, e.subject, e.user]),
          [
            ["mod", "unhide comment", String(rude.id), "ada"],
            ["mod", "hide comment", String(rude.id), "ada"],
          ],
        );
      }));

    test("a paper hidden from the feed stays off it through a re-ingest and comes back when unhidden", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        const mod = await user(store, "mod", "moderator");
        const act = { paperId: paper.id, moderatorId: mod.id, reason: "spam", now };
        assert.equal(await store.moderation.hideFromFeed(act), "done");
        assert.deepEqual(await onFeed(store), []);
        assert.deepEqual(await store.listings.trending({ limit: 5, offset: 0 }), { papers: [], total: 0 });
        assert.equal((await store.listings.byAuthor("Ada Lovelace", { limit: 5, offset: 0 })).total, 1);
        await store.papers.upsertBatch([{ ...paper, upvotes: 5 }]);
        assert.deepEqual(await onFeed(store), [], "a re-ingest does not bring it back");
        assert.equal((await store.moderation.hiddenFeedEntries({ limit: 5 }))[0]?.reason, "spam");
        assert.equal(await store.moderation.unhideFromFeed(act), "done");
        assert.deepEqual(await onFeed(store), [paper.id]);
        assert.equal((await store.listings.trending({ limit: 5, offset: 0 })).total, 1);
        assert.equal(await store.moderation.hideFromFeed({ ...act, paperId: "2608.99999" }), "not-found");
      }));

    test("a locked discussion takes comments from moderators only", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        const [mod, ada] = [await user(store, "mod", "moderator"), await user(store, "ada")];
        assert.equal(
          await store.moderation.lockDiscussion({ paperId: paper.id, moderatorId: mod.id, reason: "heated", now }),
          "done",
        );
        assert.equal((await store.moderation.lockOf(paper.id))?.reason, "heated");
        assert.equal(
          await store.comments.add({ paperId: paper.id, userId: ada.id, parentId: null, body: "x", now }),
          "locked",
        );
        const spoken = await store.comments.add({
          paperId: paper.id,
          userId: mod.id,
          parentId: null,
          body: "Locked for a day.",
          now,
          moderator: true,
        });
        assert.equal(typeof spoken, "object");
        await store.moderation.unlockDiscussion({ paperId: paper.id, moderatorId: mod.id, reason: "", now });
        assert.equal(typeof (await comment(store, ada.id, "thanks")), "object");
      }));

    test("a ban signs the account out everywhere, stops its tokens and hides its content; lifting it restores that", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper, { ...paper, id: "2608.00036", feed: undefined }]);
        const [mod, spammer] = [await user(store, "mod", "moderator"), await user(store, "spammer")];
        await comment(store, spammer.id, "buy now");
        await store.submissions.submit({
          paperId: "2608.00036",
          userId: spammer.id,
          submittedBy: { name: "spammer" },
          day: "2026-08-21",
          dailyLimit: 10,
        });
        await store.sessions.create({
          idHash: "session-hash",
          userId: spammer.id,
          csrfToken: "csrf",
          createdAt: now,
          lastSeenAt: now,
          expiresAt: "2099-01-01T00:00:00.000Z",
        });
        await store.apiTokens.create({
          userId: spammer.id,
          name: "bot",
          scope: "write",
          tokenHash: "token-hash",
          prefix: "pb_x",
          now,
        });
        assert.deepEqual((await onFeed(store)).sort(), [paper.id, "2608.00036"]);

        const act = { userId: spammer.id, moderatorId: mod.id, reason: "spam", now };
        assert.equal(await store.moderation.ban(act), "done");
        assert.equal(await store.sessions.find("session-hash", now), null);
        assert.equal(await store.apiTokens.authenticate("token-hash", now), null);
        assert.equal((await store.users.credentials("spammer"))?.user.banned, true, "the log-in says it is suspended");
        assert.equal(await store.votes.set(spammer.id, paper.id, true, now), null, "a banned account cannot vote");
        assert.equal(await numComments(store), 0);
        assert.deepEqual(await onFeed(store), [paper.id]);
        assert.equal((await store.users.byId(spammer.id))?.banned, true);

        assert.equal(await store.moderation.unban({ ...act, reason: "" }), "done");
        assert.equal(await numComments(store), 1);
        assert.deepEqual((await onFeed(store)).sort(), [paper.id, "2608.00036"]);
        assert.equal(await store.sessions.find("session-hash", now), null, "sessions stay ended");
        const actions = (await store.moderation.log({ limit: 10, offset: 0 })).entries.map((e) => e.action);
        assert.deepEqual(actions, ["unban", "ban"]);
      }));

    test("two moderators approving one claim at once make one approval and one audit entry", () =>
      withStore(kind, async (store, db) => {
        await store.papers.upsertBatch([paper]);
        const [first, second, ada] = [
          await user(store, "first", "moderator"),
          await user(store, "second", "admin"),
          await user(store, "ada"),
        ];
        const claim = await store.claims.create({ paperId: paper.id, position: 0, userId: ada.id, now });
        assert.ok(typeof claim === "object");
        assert.equal(claim.authorName, "Ada Lovelace");
        assert.equal(
          await store.claims.create({ paperId: paper.id, position: 1, userId: ada.id, now }),
          "already-claimed",
        );
        // On PostgreSQL a second connection pool, as a second web server would have. One process
        // holds one SQLite connection (better-sqlite3 blocks its thread while waiting for a lock).
        const other = db.kind === "postgres" ? await db.open() : store;
        try {
          const decisions = await Promise.all([
            store.claims.decide({ id: claim.id, approve: true, moderatorId: first.id, reason: "", now }),
            other.claims.decide({ id: claim.id, approve: true, moderatorId: second.id, reason: "", now }),
          ]);
          assert.deepEqual(decisions.map((d) => d.status).sort(), ["already-decided", "decided"]);
        } finally {
          if (other !== store) await other.close();
        }
        const log = await store.moderation.log({ limit: 10, offset: 0 });
        assert.equal(log.total, 1);
        assert.equal(log.entries[0]?.action, "approve claim");
        assert.deepEqual(await store.claims.list({ status: "pending", limit: 10 }), []);
        const claimed = (await store.claims.claimedAuthors([paper.id])).get(paper.id);
        assert.deepEqual(
          claimed?.map((c) => [c.position, c.user.username]),
          [[0, "ada"]],
        );

        const bob = await user(store, "bob");
        assert.equal(await store.claims.create({ paperId: paper.id, position: 0, userId: bob.id, now }), "slot-taken");
        assert.equal((await store.claims.approvedOf(ada.id))[0]?.paperId, paper.id);
      }));
  });
}
