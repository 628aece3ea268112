import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PaperRecord } from "../src/papers/record.ts";
import type { Store } from "../src/store/index.ts";
import { communityApp, PageClient, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { assertCleanPage } from "./support/pages.ts";

const papers: PaperRecord[] = [
  {
    id: "2608.60001",
    title: "Attention Budgets",
    authors: [{ name: "Yann LeCun" }],
    categories: ["cs.LG"],
    publishedAt: "2026-08-20T17:00:00.000Z",
    upvotes: 5,
    hf: { organization: { name: "ByteDance-Seed", fullname: "ByteDance Seed" } },
    feed: { date: "2026-08-21", source: "hf" },
  },
  {
    id: "2608.60002",
    title: "Sparse Mixtures",
    authors: [{ name: "Grace Hopper" }],
    categories: ["cs.CL"],
    publishedAt: "2026-08-19T17:00:00.000Z",
    upvotes: 2,
    feed: { date: "2026-08-21", source: "hf" },
  },
];

for (const kind of databaseKinds) {
  describe(`collection pages on ${kind.kind}`, { skip: kind.skip }, () => {
    async function setUp(store: Store) {
      await store.papers.upsertBatch(papers);
      const { app } = communityApp(store);
      await verifiedUser(store, "ada");
      await verifiedUser(store, "bob");
      const ada = new PageClient(app);
      await ada.logIn("ada");
      const bob = new PageClient(app);
      await bob.logIn("bob");
      return { app, ada, bob, anonymous: new PageClient(app) };
    }

    test("Save on a card makes a collection without JavaScript; its owner notes, orders and hides it", () =>
      withStore(kind, async (store) => {
        const { ada, bob, anonymous } = await setUp(store);
        const feed = await ada.get("/papers/date/2026-08-21");
        assert.match(feed.html, /<summary>Save<span class="visually-hidden">: Attention Budgets/);
        await assertCleanPage(feed.html, "feed with Save");
        assert.doesNotMatch((await anonymous.get("/papers/date/2026-08-21")).html, /<details class="save">/);

        const saved = await ada.post("/collections/save", {
          paper: "2608.60001",
          collection: "",
          title: "Reading group",
          next: "/papers/date/2026-08-21",
        });
        assert.equal(saved.status, 303);
        const at = saved.response.headers.get("location") ?? "";
        assert.match(at, /^\/collections\/reading-group-[0-9a-f]{8}#item-2608-60001$/);
        const slug = at.slice("/collections/".length).split("#")[0] ?? "";

        // With JavaScript the same form answers in JSON, here into the collection just made.
        await ada.get("/papers/date/2026-08-21");
        const json = await ada.post(
          "/collections/save",
          { paper: "2608.60002", collection: slug, title: "" },
          { accept: "application/json" },
        );
        assert.equal(json.status, 200);
        assert.deepEqual(JSON.parse(json.html), {
          status: "added",
          slug,
          title: "Reading group",
          url: `/collections/${slug}`,
        });

        const own = await ada.get(`/collections/${slug}`);
        await ada.post(`/collections/${slug}/items`, { paper: "2608.60002", action: "up" });
        await ada.post(`/collections/${slug}/items`, { paper: "2608.60001", action: "note", note: "read first" });
        const page = await ada.get(`/collections/${slug}`);
        assert.equal(own.status, 200);
        assert.match(page.html, /Sparse Mixtures[\s\S]*Attention Budgets[\s\S]*read first/);
        assert.match(page.html, /Delete this collection/);
        await assertCleanPage(page.html, "own collection");

        const seen = await anonymous.get(`/collections/${slug}`);
        assert.equal(seen.status, 200);
        assert.match(seen.html, /read first/);
        assert.doesNotMatch(seen.html, /Delete this collection|Save note/);
        await assertCleanPage(seen.html, "someone's collection");

        await bob.get(`/collections/${slug}`);
        const meddle = await bob.post(`/collections/${slug}/items`, { paper: "2608.60001", action: "remove" });
        assert.equal(meddle.status, 403);
        assert.equal((await store.collections.bySlug(slug))?.paperCount, 2);

        const found = await anonymous.get("/search?q=reading%20GROUP");
        assert.match(found.html, /<h2 id="collections-found">Collections<\/h2>[\s\S]*Reading group<\/a>/);
        assert.equal(
          found.response.headers.get("cache-control"),
          "private, no-cache",
          "no shared cache keeps a collection its owner may make private",
        );
        const plain = await anonymous.get("/search?q=nothing%20collected");
        assert.match(plain.response.headers.get("cache-control") ?? "", /^public, max-age=60/);
        await assertCleanPage(found.html, "search with a collection");

        await ada.get(`/collections/${slug}`);
        await ada.post(`/collections/${slug}/edit`, {
          title: "Reading group (private)",
          description: "",
          private: "1",
        });
        for (const who of [anonymous, bob]) {
          const hidden = await who.get(`/collections/${slug}`);
          assert.equal(hidden.status, 404);
          assert.doesNotMatch(hidden.html, /Reading group/);
        }
        assert.match((await ada.get(`/collections/${slug}`)).html, /Reading group \(private\)[\s\S]*Private/);
        for (const who of [anonymous, bob, ada]) {
          assert.doesNotMatch((await who.get("/search?q=reading")).html, /collections-found|Reading group/);
        }
        const gone = await bob.post(`/collections/${slug}/delete`, {});
        assert.equal(gone.status, 404);
        await ada.post(`/collections/${slug}/delete`, {});
        assert.equal(await store.collections.bySlug(slug), null);
      }));

    test("following an author and a category from their pages fills My feed, newest first, with why", () =>
      withStore(kind, async (store) => {
        const { ada, anonymous } = await setUp(store);
        assert.equal((await anonymous.get("/my")).response.headers.get("location"), "/login?next=%2Fmy");
        const visitor = await anonymous.get("/authors/Yann%20LeCun");
        assert.match(visitor.html, /Log in to follow/);
        const author = await ada.get("/authors/Yann%20LeCun");
        await assertCleanPage(author.html, "author page with Follow");
        const followed = await ada.post("/follows", {
          kind: "author",
          value: "Yann LeCun",
          following: "1",
          next: "/authors/Yann%20LeCun",
        });
        assert.equal(followed.response.headers.get("location"), "/authors/Yann%20LeCun");
        assert.match((await ada.get("/authors/Yann%20LeCun")).html, /aria-pressed="true">Following/);
        await ada.get("/categories/cs.CL");
        const json = await ada.post(
          "/follows",
          { kind: "category", value: "cs.CL", following: "1" },
          { accept: "application/json" },
        );
        assert.deepEqual(JSON.parse(json.html), { kind: "category", value: "cs.CL", following: true });
        const unknown = await ada.post("/follows", { kind: "author", value: "Nobody At All", following: "1" });
        assert.equal(unknown.status, 404);
        // What background-form.js reads: a refusal, or a visitor who must log in first, as JSON with its status.
        const json404 = { kind: "author", value: "Nobody At All", following: "1" };
        const refused = await ada.post("/follows", json404, { accept: "application/json" });
        assert.equal(refused.status, 404);
        assert.match(JSON.parse(refused.html).error, /Nobody At All/);
        const visitorJson = await anonymous.post("/follows", json404, { accept: "application/json" });
        assert.deepEqual([visitorJson.status, JSON.parse(visitorJson.html)], [401, { error: "log in to follow" }]);

        const my = await ada.get("/my");
        assert.equal(my.status, 200);
        await assertCleanPage(my.html, "My feed");
        assert.match(
          my.html,
          /Attention Budgets[\s\S]*By <a href="\/authors\/Yann%20LeCun">Yann LeCun<\/a>, whom you follow[\s\S]*Sparse Mixtures[\s\S]*In <a href="\/categories\/cs.CL">[^<]*<\/a>, which you follow/,
        );
        await ada.post("/follows", { kind: "author", value: "Yann LeCun", following: "0", next: "/my" });
        assert.doesNotMatch((await ada.get("/my")).html, /Attention Budgets/);
      }));

    test("an organisation's page lists its papers by feed day with upvotes and counts its followers", () =>
      withStore(kind, async (store) => {
        const { ada, anonymous } = await setUp(store);
        const feed = await anonymous.get("/papers/date/2026-08-21");
        assert.match(feed.html, /<a href="\/organizations\/ByteDance-Seed">ByteDance Seed<\/a>/);
        const before = await anonymous.get("/organizations/bytedance-seed");
        assert.equal(before.status, 200);
        assert.match(before.html, /<h1>ByteDance Seed<\/h1>/);
        assert.match(before.html, /1 paper · 0 followers/);
        assert.match(before.html, /Friday, August 21, 2026<\/h2>[\s\S]*Attention Budgets/);
        assert.doesNotMatch(before.html, /Sparse Mixtures/);
        await assertCleanPage(before.html, "organisation page");
        await ada.get("/organizations/ByteDance-Seed");
        await ada.post("/follows", { kind: "organization", value: "bytedance-seed", following: "1" });
        const after = await ada.get("/organizations/ByteDance-Seed");
        assert.match(after.html, /1 paper · 1 follower</);
        await assertCleanPage(after.html, "organisation page, signed in");
        assert.equal((await anonymous.get("/organizations/nobody")).status, 404);
        assert.equal((await anonymous.get("/organizations/%3Cscript%3E")).status, 400);
      }));

    test("a profile shows submissions, comments, public collections, and upvotes only when made public", () =>
      withStore(kind, async (store) => {
        const { ada, bob, anonymous } = await setUp(store);
        const user = (await store.users.byUsername("ada")) ?? assert.fail("no ada");
        await ada.get("/users/ada");
        await ada.post("/collections", { title: "Open shelf", description: "For all" });
        await ada.post("/collections", { title: "Secret shelf", private: "1" });
        await ada.get("/papers/2608.60001");
        await ada.post("/papers/2608.60001/upvote", { upvoted: "1" });
        await ada.post("/papers/2608.60001/comments", { body: "Budgets *matter*." });

        const own = await ada.get("/users/ada");
        assert.match(
          own.html,
          /Secret shelf<\/a>[^<]*<span class="muted"> · 0 papers<\/span><span class="badge">Private[\s\S]*Open shelf/,
        );
        assert.match(own.html, /Only you see this list/);
        await assertCleanPage(own.html, "own profile");

        const seen = await bob.get("/users/ada");
        assert.equal(seen.status, 200);
        assert.match(seen.html, /Open shelf/);
        assert.doesNotMatch(seen.html, /Secret shelf|Upvoted papers/);
        assert.match(
          seen.html,
          /Attention Budgets<\/a><span class="muted"> · [^<]*<\/span><p>Budgets \*matter\*.<\/p>/,
        );
        await assertCleanPage(seen.html, "someone's profile");

        await ada.get("/settings");
        const saved = await ada.post("/settings/profile", {
          displayName: "Ada L.",
          bio: "Counting engines.",
          link1: "https://ada.example.org",
          link2: "",
          link3: "",
          link4: "",
          upvotesPublic: "1",
        });
        assert.match(saved.html, /Profile saved/);
        const bad = await ada.post("/settings/profile", { displayName: "", bio: "", link1: "javascript:alert(1)" });
        assert.equal(bad.status, 400);
        assert.match(bad.html, /is not an http\(s\) address/);
        const after = await anonymous.get("/users/ADA");
        assert.match(after.html, /<h1>Ada L.<\/h1>/);
        assert.match(after.html, /Counting engines./);
        assert.match(
          after.html,
          /<a href="https:\/\/ada.example.org" rel="nofollow ugc noopener me">ada.example.org<\/a>/,
        );
        assert.match(after.html, /Upvoted papers[\s\S]*Attention Budgets/);
        assert.equal((await store.profiles.fields(user.id)).links.length, 1);
        assert.equal((await anonymous.get("/users/nobody")).status, 404);
      }));
  });
}
