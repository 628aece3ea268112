import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { PaperRecord } from "../src/papers/record.ts";
import { trendingScore } from "../src/papers/trending.ts";
import type { Store } from "../src/store/index.ts";
import { type FixtureServer, startFixtureServer } from "./support/arxiv-fixture-server.ts";
import { atomEntry, atomResponder } from "./support/arxiv-fixtures.ts";
import { communityApp, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const paper: PaperRecord = {
  id: "2608.10001",
  title: "A Paper Worth Voting For",
  abstract: "It has $x^2$ in it.",
  authors: [{ name: "Grace Hopper" }],
  categories: ["cs.SE"],
  publishedAt: "2026-08-20T17:00:00.000Z",
  upvotes: 5,
  numComments: 1,
  feed: { date: "2026-08-21", source: "hf" },
};

const oldStyle: PaperRecord = { ...paper, id: "hep-th/9901001", upvotes: 0, numComments: 0, feed: undefined };

type App = ReturnType<typeof communityApp>;

function call(app: App["app"], method: string, path: string, token?: string, body?: unknown) {
  return app.request(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function json(response: Response) {
  return (await response.json()) as Record<string, unknown>;
}

let arxiv: FixtureServer;
let arxivUp = true;
before(async () => {
  const entries = [
    atomEntry({
      id: "2608.20002v1",
      published: "2026-08-19T18:00:00Z",
      updated: "2026-08-19T18:00:00Z",
      title: "Fetched When Submitted",
      authors: [{ name: "Katherine Johnson" }],
      primary: "cs.LG",
    }),
  ];
  const answer = atomResponder(entries);
  arxiv = await startFixtureServer((url) => (arxivUp ? answer(url) : { status: 500, body: "down" }));
});
after(() => arxiv.close());

for (const kind of databaseKinds) {
  describe(`community API on ${kind.kind}`, { skip: kind.skip }, () => {
    async function setUp(store: Store) {
      await store.papers.upsertBatch([paper, oldStyle]);
      return communityApp(store, { PAPERBOY_ARXIV_API_URL: `${arxiv.url}/api/query` });
    }

    test("50 users × 4 concurrent upvote requests, some toggling: the count is the votes held, once each", () =>
      withStore(kind, async (store) => {
        const { app, community } = await setUp(store);
        const users = await Promise.all(Array.from({ length: 50 }, (_, i) => verifiedUser(store, `voter${i}`)));
        const tokens = await Promise.all(
          users.map(async (u) => (await community.accounts.createApiToken(u, "bench", "write")).secret),
        );
        // Even users: up, up, down, up; odd users: up, down, up, down. All 200 requests at once.
        const plans = users.map((_, i) => (i % 2 === 0 ? [true, true, false, true] : [true, false, true, false]));
        const responses = await Promise.all(
          plans.flatMap((plan, i) =>
            plan.map((up) => call(app, up ? "POST" : "DELETE", `/api/v1/papers/${paper.id}/upvote`, tokens[i])),
          ),
        );
        assert.deepEqual([...new Set(responses.map((r) => r.status))], [200]);
        const bodies = (await Promise.all(responses.map(json))) as { upvotes: number; upvoted: boolean }[];
        for (const body of bodies) assert.ok(body.upvotes >= 5 && body.upvotes <= 55);

        const rows = await store.connection.db
          .selectFrom("votes")
          .select(["user_id"])
          .where("paper_id", "=", paper.id)
          .execute();
        assert.equal(new Set(rows.map((r) => r.user_id)).size, rows.length, "no duplicate vote rows");
        const stored = await store.papers.get(paper.id);
        assert.ok(stored);
        assert.equal(stored.upvotes, 5 + rows.length);
        assert.equal(stored.localUpvotes, rows.length);
        assert.equal(stored.trendingScore, trendingScore(stored.upvotes, stored.publishedAt));
        const hf = await json(await app.request(`/api/papers/${paper.id}`));
        assert.equal(hf.upvotes, 5 + rows.length);
        process.stdout.write(`# ${kind.kind}: 200 concurrent votes -> ${rows.length} held, count ${stored.upvotes}\n`);
      }));

    test("without credentials, with a read-only or a revoked token, nobody can vote, comment or submit", () =>
      withStore(kind, async (store) => {
        const { app, community } = await setUp(store);
        const ada = await verifiedUser(store, "ada");
        const read = await community.accounts.createApiToken(ada, "reader", "read");
        const writes: [string, string, unknown][] = [
          ["POST", `/api/v1/papers/${paper.id}/upvote`, undefined],
          ["POST", `/api/v1/papers/${paper.id}/comments`, { body: "hi" }],
          ["POST", "/api/v1/submissions", { paper: paper.id }],
        ];
        for (const [method, path, body] of writes) {
          assert.equal((await call(app, method, path, undefined, body)).status, 401, `${path} anonymous`);
          const refused = await call(app, method, path, read.secret, body);
          assert.equal(refused.status, 403, `${path} read token`);
          assert.match(String((await json(refused)).error), /read-only/);
        }
        const me = await json(await call(app, "GET", "/api/v1/me", read.secret));
        assert.deepEqual([me.username, me.emailVerified, me.auth], ["ada", true, { via: "token", scope: "read" }]);
        await community.accounts.revokeApiToken(ada, read.token.id);
        assert.equal((await call(app, "GET", "/api/v1/me", read.secret)).status, 401);
        assert.equal((await call(app, "GET", "/api/v1/me", "pb_made_up")).status, 401);
        // A Hugging Face token sent along by huggingface_hub is none of ours: the read is anonymous.
        assert.equal((await call(app, "GET", `/api/papers/${paper.id}`, "hf_abc")).status, 200);

        const unverified = await store.users.create({
          username: "newbie",
          email: "newbie@example.org",
          passwordHash: "x",
          now: new Date().toISOString(),
        });
        assert.ok(typeof unverified === "object");
        const newbie = await community.accounts.createApiToken(unverified, "t", "write");
        const early = await call(app, "POST", `/api/v1/papers/${paper.id}/upvote`, newbie.secret);
        assert.equal(early.status, 403);
        assert.match(String((await json(early)).error), /verify your e-mail address/);
      }));

    test("comments: post, reply, list, edit within 15 minutes, delete keeping replies; others' are off limits", () =>
      withStore(kind, async (store) => {
        const { app, community, clock } = await setUp(store);
        const [ada, bob] = [await verifiedUser(store, "ada"), await verifiedUser(store, "bob")];
        const [a, b] = [
          (await community.accounts.createApiToken(ada, "t", "write")).secret,
          (await community.accounts.createApiToken(bob, "t", "write")).secret,
        ];
        const first = await call(app, "POST", `/api/v1/papers/${paper.id}/comments`, a, {
          body: "Is $x^2$ **right**?",
        });
        assert.equal(first.status, 201);
        const top = await json(first);
        assert.deepEqual((top.author as Record<string, unknown>).username, "ada");
        const reply = await json(
          await call(app, "POST", `/api/v1/papers/${paper.id}/comments`, b, { body: "Yes.", parentId: top.id }),
        );
        assert.equal(reply.parentId, top.id);
        const bad = await call(app, "POST", `/api/v1/papers/${paper.id}/comments`, b, { body: "x", parentId: 999999 });
        assert.equal(bad.status, 400);
        assert.equal((await call(app, "POST", `/api/v1/papers/${paper.id}/comments`, b, { body: "   " })).status, 400);
        assert.equal(
          (await call(app, "POST", `/api/v1/papers/${paper.id}/comments`, b, { body: "x".repeat(10_001) })).status,
          400,
        );
        assert.equal((await call(app, "POST", "/api/v1/papers/2608.99999/comments", b, { body: "x" })).status, 404);
        const old = await call(app, "POST", `/api/v1/papers/${oldStyle.id}/comments`, b, { body: "Old ids work" });
        assert.equal(old.status, 201);

        assert.equal((await call(app, "PATCH", `/api/v1/comments/${top.id}`, b, { body: "hijacked" })).status, 403);
        assert.equal((await call(app, "DELETE", `/api/v1/comments/${top.id}`, b)).status, 403);
        const edited = await json(
          await call(app, "PATCH", `/api/v1/comments/${top.id}`, a, { body: "Is $x^3$ right?" }),
        );
        assert.equal(edited.body, "Is $x^3$ right?");
        assert.ok(edited.editedAt);
        clock.offsetMs = 16 * 60_000;
        const late = await call(app, "PATCH", `/api/v1/comments/${top.id}`, a, { body: "too late" });
        assert.equal(late.status, 403);
        assert.match(String((await json(late)).error), /15 minutes/);

        assert.equal(
          (await call(app, "POST", `/api/v1/comments/${reply.id}/report`, a, { reason: "rude" })).status,
          202,
        );
        assert.equal((await call(app, "DELETE", `/api/v1/comments/${top.id}`, a)).status, 204);
        const list = await json(await call(app, "GET", `/api/v1/papers/${paper.id}/comments`));
        assert.equal(list.total, 1, JSON.stringify(list));
        assert.deepEqual(
          (list.comments as Record<string, unknown>[]).map((c) => [c.id, c.deleted, c.body]),
          [
            [top.id, true, ""],
            [reply.id, false, "Yes."],
          ],
        );
        const hfDay = (await (await app.request("/api/daily_papers?date=2026-08-21")).json()) as {
          numComments: number;
        }[];
        assert.equal(hfDay[0]?.numComments, 2, "Hugging Face's 1 plus our 1 live comment");
        assert.equal((await json(await call(app, "GET", `/api/v1/papers/${oldStyle.id}/comments`))).total, 1);
      }));

    test("submissions: fetched from arXiv, on today's feed with the submitter once; arXiv down is a clear 424", () =>
      withStore(kind, async (store) => {
        const { app, community } = await setUp(store);
        const [ada, bob] = [await verifiedUser(store, "ada"), await verifiedUser(store, "bob")];
        const [a, b] = [
          (await community.accounts.createApiToken(ada, "t", "write")).secret,
          (await community.accounts.createApiToken(bob, "t", "write")).secret,
        ];
        assert.equal((await call(app, "POST", "/api/v1/submissions", a, { paper: "not a paper" })).status, 400);
        arxivUp = false;
        const down = await call(app, "POST", "/api/v1/submissions", a, { paper: "https://arxiv.org/abs/2608.20002" });
        arxivUp = true;
        assert.equal(down.status, 424);
        assert.match(String((await json(down)).error), /arXiv could not be reached/);
        assert.equal(await store.papers.get("2608.20002"), null);

        const submitted = await call(app, "POST", "/api/v1/submissions", a, {
          paper: "https://arxiv.org/abs/2608.20002v1",
        });
        assert.equal(submitted.status, 201);
        const result = await json(submitted);
        assert.equal(result.status, "submitted");
        assert.equal((result.paper as Record<string, unknown>).title, "Fetched When Submitted");
        const again = await call(app, "POST", "/api/v1/submissions", b, { paper: "2608.20002" });
        assert.equal(again.status, 200);
        const existing = await json(again);
        assert.deepEqual([existing.status, existing.feedDate], ["exists", result.feedDate]);
        assert.equal((await call(app, "POST", "/api/v1/submissions", b, { paper: "2608.99998" })).status, 404);

        const day = (await (await app.request(`/api/daily_papers?date=${result.feedDate}`)).json()) as Record<
          string,
          unknown
        >[];
        const item = day.find((i) => (i.paper as Record<string, unknown>).id === "2608.20002");
        assert.ok(item, "on the day's feed");
        assert.equal((item.submittedBy as Record<string, unknown>).name, "ada");
        assert.equal(
          ((item.paper as Record<string, unknown>).submittedOnDailyBy as Record<string, unknown>).user,
          "ada",
        );
      }));

    test("a browser session can use the API only from this site (Origin or X-CSRF-Token)", () =>
      withStore(kind, async (store) => {
        const { app, community, config } = await setUp(store);
        const ada = await verifiedUser(store, "ada");
        const { session } = await community.accounts.logIn("ada", "correct horse battery");
        const cookie = `paperboy_session=${session.token}`;
        const vote = (headers: Record<string, string>) =>
          app.request(`/api/v1/papers/${paper.id}/upvote`, { method: "POST", headers: { cookie, ...headers } });
        assert.equal((await vote({})).status, 403);
        assert.equal((await vote({ origin: "https://evil.example" })).status, 403);
        assert.equal((await vote({ "x-csrf-token": "guess" })).status, 403);
        assert.equal((await vote({ origin: new URL(config.baseUrl).origin })).status, 200);
        assert.equal((await vote({ "x-csrf-token": session.csrfToken })).status, 200);
        assert.equal((await json(await app.request("/api/v1/me", { headers: { cookie } }))).username, ada.username);
      }));
  });
}
