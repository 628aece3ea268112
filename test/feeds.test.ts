import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Parser from "rss-parser";
import { readHfDaily } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import type { PaperRecord } from "../src/papers/record.ts";
import type { Store } from "../src/store/index.ts";
import { testApp } from "./support/api-app.ts";
import { repoRoot } from "./support/cli.ts";
import { communityApp, PageClient, verifiedUser } from "./support/community.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";

const DAY = "2026-08-21";
const BASE = "https://papers.example.org";
const hostile: PaperRecord = {
  id: "2608.99999",
  title: `<script>alert("title")</script> ]]> & <b>bold</b> \u0001bell`,
  abstract: `An abstract with <script>alert("abstract")</script>, x < y and a ]]> too.`,
  authors: [{ name: `<img src=x onerror=alert(1)>Mallory` }, { name: "Ada Lovelace" }],
  categories: ["cs.CR"],
  publishedAt: "2026-08-20T17:59:00.000Z",
  upvotes: 1,
  feed: { date: DAY, source: "hf" },
};
/** The hostile title as a reader shows it: the control character has no place in XML. */
const hostileTitle = hostile.title.replace("\u0001", "");

const parser = new Parser({ customFields: { feed: ["id", "updated"], item: ["updated", "guid"] } });
/** An item as rss-parser reads it: its fields by element name. */
type ParsedItem = Record<string, string | undefined>;

function decodeHtml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** Every `<link rel="alternate">` a page announces: [type, href]. */
function alternates(html: string): [string, string][] {
  return [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"/g)].map((m) => [
    m[1] ?? "",
    decodeHtml(m[2] ?? ""),
  ]);
}

for (const kind of databaseKinds) {
  describe(`RSS and Atom feeds on ${kind.kind}`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let app: ReturnType<typeof testApp>;

    before(async () => {
      db = await kind.create();
      store = await db.open();
      await ingest(store, readHfDaily(path.join(repoRoot, `test/fixtures/hf-daily-${DAY}.json`)));
      async function* extra() {
        yield { record: hostile, position: { where: "hostile" } };
      }
      await ingest(store, extra());
      app = testApp(store, { PAPERBOY_BASE_URL: BASE });
    });

    after(async () => {
      await store?.close();
      await db?.dispose();
    });

    async function fetchFeed(url: string, from: { request: typeof app.request } = app) {
      const response = await from.request(url.replace(BASE, ""));
      const body = await response.text();
      assert.equal(response.status, 200, `${url}: ${body.slice(0, 200)}`);
      const feed = await parser.parseString(body);
      return { response, body, feed, items: feed.items as unknown as ParsedItem[] };
    }

    /** Fetches a feed a page announced and checks the elements its format requires; answers its entries. */
    async function checkFeed(href: string, type: string, from: { request: typeof app.request } = app) {
      const { response, body, feed, items } = await fetchFeed(href, from);
      assert.equal(response.headers.get("content-type"), `${type}; charset=utf-8`);
      assert.ok(feed.title?.startsWith("Paperboy: "), `${href} has a title`);
      assert.ok(feed.link?.startsWith(BASE), `${href} links its page`);
      assert.ok(items.length > 0, `${href} has entries`);
      if (type === "application/rss+xml") {
        assert.match(body, /<rss version="2.0"/);
        assert.ok(typeof feed.description === "string", `${href} has a description`);
        for (const item of items) {
          assert.ok(item.title && item.link && item.guid && item.pubDate, `${href}: ${JSON.stringify(item)}`);
          assert.match(item.guid ?? "", /^\d{4}\.\d{4,5}$/, "the guid is the arXiv id");
        }
      } else {
        assert.match(body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
        assert.ok(feed.id && feed.updated, `${href} has an id and updated`);
        for (const item of items) {
          assert.ok(item.title && item.link && item.id && item.updated, `${href}: ${JSON.stringify(item)}`);
          assert.match(item.id ?? "", /^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
        }
      }
      return { response, items };
    }

    test("every page with a list announces its feeds, and each parses with every required element", async () => {
      const pages = [
        "/",
        `/papers/date/${DAY}`,
        "/papers/week/2026-W34",
        "/papers/month/2026-08",
        "/papers/trending",
        `/authors/${encodeURIComponent("Ada Lovelace")}`,
        "/categories/cs.CR",
        "/search?q=alert",
        "/organizations/google",
      ];
      const checked = new Set<string>();
      for (const page of pages) {
        const html = await (await app.request(page)).text();
        const links = alternates(html);
        assert.deepEqual(
          links.map(([type]) => type),
          ["application/rss+xml", "application/atom+xml"],
          `${page} announces RSS and Atom`,
        );
        for (const [type, href] of links) {
          assert.ok(href.startsWith(`${BASE}/`), href);
          if (checked.has(href)) continue;
          checked.add(href);
          await checkFeed(href, type);
        }
      }
      assert.equal(checked.size, 16, "eight feeds in two formats");
    });

    test("the daily feed lists the day most upvoted first, dated by its feed day", async () => {
      const { items } = await store.feed.range({ from: DAY, to: DAY, limit: 100 });
      const rss = (await fetchFeed("/feeds/daily.rss")).items;
      assert.deepEqual(
        rss.map((i) => i.guid),
        items.map((i) => i.paper.id),
      );
      assert.ok(rss.every((i) => i.pubDate === "Fri, 21 Aug 2026 12:00:00 GMT"));
      const atom = (await fetchFeed("/feeds/daily.atom")).items;
      const first = items[0]?.paper ?? assert.fail("no papers");
      const entry = atom[0] ?? assert.fail("no entries");
      assert.equal(entry.id, `https://arxiv.org/abs/${first.id}`);
      assert.equal(entry.link, `${BASE}/papers/${first.id}`);
      assert.equal(entry.updated, "2026-08-21T12:00:00.000Z");
      assert.equal(
        entry.pubDate,
        `${first.publishedAt.slice(0, 10)}T12:00:00.000Z`,
        "published is the paper's date, at noon UTC so that it stays that date everywhere",
      );
    });

    test("hostile titles, authors and abstracts stay text in both formats", async () => {
      for (const url of ["/feeds/daily.rss", "/categories/cs.CR/feed.rss"]) {
        const { items } = await fetchFeed(url);
        const item = items.find((i) => i.guid === hostile.id) ?? assert.fail(`${url} lacks the paper`);
        assert.equal(item.title, hostileTitle, "RSS titles are plain text");
        const content = String(item["content:encoded"]);
        assert.doesNotMatch(content, /<script|<img/i);
        assert.match(content, /&lt;script&gt;alert\(&quot;abstract&quot;\)&lt;\/script&gt;, x &lt; y/);
        assert.match(String(item["dc:creator"]), /<img src=x onerror=alert\(1\)>Mallory, Ada Lovelace/);
      }
      const { items, body } = await fetchFeed("/feeds/daily.atom");
      const entry = items.find((i) => i.id === `https://arxiv.org/abs/${hostile.id}`) ?? assert.fail("missing");
      assert.equal(decodeHtml(entry.title ?? ""), hostileTitle, "Atom's HTML titles decode to the title");
      assert.doesNotMatch(String(entry.content), /<script|<img/i);
      assert.ok(!body.includes("\u0001"), "no control characters in the XML");
    });

    test("a public collection and My feed (at its private address) have feeds; a private collection and a wrong address are 404", async () => {
      const site = communityApp(store, { PAPERBOY_BASE_URL: BASE });
      const owner = await verifiedUser(store, "Reader");
      const shelf = await site.community.collections.create(owner, { title: `Reading <b>list</b>` });
      await site.community.collections.addPaper(owner, shelf.slug, hostile.id);
      const secret = await site.community.collections.create(owner, { title: "Secret", private: true });
      await site.community.collections.addPaper(owner, secret.slug, hostile.id);
      await site.community.follows.set(owner, "author", "Ada Lovelace", true);
      const reader = new PageClient(site.app, BASE);
      await reader.logIn("Reader");

      const announced = async (page: string) => alternates((await reader.get(page)).html);
      const shelfFeeds = await announced(`/collections/${shelf.slug}`);
      assert.equal(shelfFeeds.length, 2);
      for (const [type, href] of shelfFeeds) {
        const { items } = await checkFeed(href, type, site.app);
        assert.deepEqual(
          items.map((i) => i.guid ?? i.id),
          [type === "application/rss+xml" ? hostile.id : `https://arxiv.org/abs/${hostile.id}`],
        );
      }
      assert.deepEqual(await announced(`/collections/${secret.slug}`), [], "a private collection announces nothing");
      for (const format of ["rss", "atom"]) {
        assert.equal((await site.app.request(`/collections/${secret.slug}/feed.${format}`)).status, 404);
      }

      assert.deepEqual(await announced("/my"), [], "My feed has no address until one is made");
      const made = await reader.post("/settings/feed", { action: "new" });
      assert.match(made.html, /New private addresses made/);
      const mine = await announced("/my");
      assert.deepEqual(
        mine.map(([type]) => type),
        ["application/rss+xml", "application/atom+xml"],
      );
      for (const [type, href] of mine) {
        assert.match(href, /^https:\/\/papers\.example\.org\/my\/feed\.(rss|atom)\?token=[\w-]{40,}$/);
        assert.ok(made.html.includes(href.replaceAll("&", "&amp;")), "settings show the address");
        // A feed reader has no session: the address alone opens the feed.
        const { response, items } = await checkFeed(href, type, site.app);
        assert.equal(response.headers.get("cache-control"), "private, no-cache");
        assert.ok(
          items.some((i) => (i.guid ?? i.id)?.endsWith(hostile.id)),
          "a followed author's paper",
        );
      }
      const rss = mine[0]?.[1] ?? assert.fail("no RSS address");
      const wrong = rss.replace(/token=.*/, "token=not-the-token");
      for (const url of [wrong, rss.replace(/\?.*/, "")]) {
        const response = await site.app.request(url.slice(BASE.length));
        assert.equal(response.status, 404, url);
      }

      await reader.post("/settings/feed", { action: "new" });
      assert.equal((await site.app.request(rss.slice(BASE.length))).status, 404, "a new address retires the old");
      const renewed = (await announced("/my"))[0]?.[1] ?? assert.fail("no new address");
      assert.equal((await site.app.request(renewed.slice(BASE.length))).status, 200);
      const off = await reader.post("/settings/feed", { action: "off" });
      assert.match(off.html, /The private feed is off/);
      assert.equal((await site.app.request(renewed.slice(BASE.length))).status, 404);
      assert.deepEqual(await announced("/my"), []);
    });

    test("conditional GET: the same ETag or an unchanged Last-Modified gets 304", async () => {
      const organization = await app.request("/organizations/google/feed.rss");
      const tag = organization.headers.get("etag") ?? assert.fail("no ETag on an organisation's feed");
      const again = await app.request("/organizations/google/feed.rss", { headers: { "If-None-Match": tag } });
      assert.equal(again.status, 304);
      const first = await app.request("/feeds/trending.atom");
      const etag = first.headers.get("etag") ?? assert.fail("no ETag");
      const lastModified = first.headers.get("last-modified") ?? assert.fail("no Last-Modified");
      assert.equal(lastModified, "Thu, 20 Aug 2026 12:00:00 GMT", "the newest paper's date");
      assert.equal((await app.request("/feeds/trending.atom", { headers: { "If-None-Match": etag } })).status, 304);
      const since = await app.request("/feeds/trending.atom", { headers: { "If-Modified-Since": lastModified } });
      assert.equal(since.status, 304);
      const older = await app.request("/feeds/trending.atom", {
        headers: { "If-Modified-Since": "Wed, 19 Aug 2026 12:00:00 GMT" },
      });
      assert.equal(older.status, 200);
    });

    test("a search feed spends from the search budget; the other feeds spend nothing", async () => {
      const limited = testApp(store, { PAPERBOY_BASE_URL: BASE, PAPERBOY_API_RATE_LIMIT: "2" });
      // One client of its own: the tests before spent the in-process client's budget on this database.
      const get = (url: string) =>
        limited.request(url, {}, { incoming: { socket: { remoteAddress: "192.0.2.40", remotePort: 1 } } });
      for (const format of ["rss", "atom"]) assert.equal((await get(`/search/feed.${format}?q=alert`)).status, 200);
      const refused = await get("/search/feed.rss?q=alert");
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
      assert.match(await refused.text(), /Searches from your address are limited to 2 a minute/);
      assert.equal((await get("/feeds/daily.atom")).status, 200);
    });

    test("bad feed addresses get 4xx pages naming what was wrong", async () => {
      const cases: [string, number, RegExp][] = [
        ["/search/feed.rss", 400, /needs words to look for/],
        ["/categories/not%20a%20category/feed.atom", 400, /is not an arXiv category/],
        [`/authors/${encodeURIComponent("Nobody Atall")}/feed.rss`, 404, /No papers by/],
        ["/organizations/no-such-org/feed.atom", 404, /No papers from/],
        ["/organizations/bad%20name/feed.rss", 400, /is not an organisation name/],
        ["/collections/no-such-shelf/feed.rss", 404, /or it is private/],
        ["/my/feed.rss", 404, /opens nothing/],
      ];
      for (const [url, status, message] of cases) {
        const response = await app.request(url);
        assert.equal(response.status, status, url);
        assert.match(await response.text(), message);
      }
    });
  });
}
