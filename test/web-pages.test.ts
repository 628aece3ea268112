import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { DEMO_CORPUS } from "../src/server/demo.ts";
import type { Store } from "../src/store/index.ts";
import { testApp } from "./support/api-app.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";
import { HOSTILE, ingestSiteRecords, PROLIFIC_AUTHOR, PROLIFIC_PAPERS } from "./support/site-fixtures.ts";

type App = ReturnType<typeof testApp>;

async function get(app: App, path: string, headers: Record<string, string> = {}) {
  const response = await app.request(path, { headers });
  return { response, status: response.status, html: await response.text() };
}

/** The text of the cards' title links, in page order. */
function cardTitles(html: string): string[] {
  return [...html.matchAll(/<h[23]><a href="\/papers\/[^"]+">(.*?)<\/a><\/h[23]>/gs)].map((m) => m[1] ?? "");
}

/** HTML-escapes like the JSX renderer, to look for stored text on a page. */
function escaped(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

for (const kind of databaseKinds) {
  describe(`site pages on ${kind.kind}`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let app: App;
    let newestDay: string;

    before(async () => {
      db = await kind.create();
      store = await db.open();
      await ingest(store, readJsonLines(DEMO_CORPUS));
      await ingestSiteRecords(store);
      app = testApp(store, { PAPERBOY_BASE_URL: "https://papers.example.org" });
      newestDay = (await store.feed.latestDay()) ?? assert.fail("the demo corpus has no feed days");
    });

    after(async () => {
      await store?.close();
      await db?.dispose();
    });

    it("home shows the newest day's papers, most upvoted first", async () => {
      const { status, html } = await get(app, "/");
      assert.equal(status, 200);
      const day = await store.feed.range({ from: newestDay, to: newestDay, limit: 100 });
      assert.ok(day.total >= 10, `the newest demo day has ${day.total} papers`);
      assert.deepEqual(
        cardTitles(html),
        day.items.map((i) => escaped(i.paper.title)),
      );
      assert.match(html, new RegExp(`${day.total} papers`));
      assert.match(html, /<link rel="canonical" href="https:\/\/papers\.example\.org\/papers\/date\//);
      assert.match(html, /<input id="site-search" type="search" name="q"/);
    });

    it("answers with compression, an ETag and Cache-Control, and 304 when unchanged", async () => {
      const { response } = await get(app, "/", { "Accept-Encoding": "gzip" });
      assert.equal(response.headers.get("content-encoding"), "gzip");
      assert.match(response.headers.get("cache-control") ?? "", /max-age=\d+/);
      const plain = await get(app, "/");
      const tag = plain.response.headers.get("etag");
      assert.ok(tag);
      const again = await app.request("/", { headers: { "If-None-Match": tag } });
      assert.equal(again.status, 304);
    });

    it("serves /papers?date= by redirecting to the day's page, and rejects malformed dates", async () => {
      const redirect = await get(app, `/papers?date=${newestDay}`);
      assert.equal(redirect.status, 301);
      assert.equal(redirect.response.headers.get("location"), `/papers/date/${newestDay}`);
      for (const path of ["/papers?date=2025-02-30", "/papers/date/2025-13-01", "/papers/date/yesterday"]) {
        const { status, html } = await get(app, path);
        assert.equal(status, 400, path);
        assert.match(html, /Bad request/);
      }
    });

    it("steps to neighbouring days with papers and says so at the ends of the archive", async () => {
      const { previous } = await store.feed.neighbours(newestDay);
      assert.ok(previous);
      const home = (await get(app, "/")).html;
      assert.match(home, new RegExp(`href="/papers/date/${previous}" rel="prev"`));
      assert.match(home, /<span class="pill" aria-disabled="true">Next day →<\/span>/);

      const calendar = await store.listings.calendar(newestDay, newestDay);
      const first = calendar.first ?? assert.fail("no first day");
      const start = (await get(app, `/papers/date/${first}`)).html;
      assert.match(start, /<span class="pill" aria-disabled="true">← Previous day<\/span>/);

      const future = await get(app, "/papers/date/2999-01-01");
      assert.equal(future.status, 200);
      assert.match(future.html, /No papers in this day/);
      assert.match(future.html, new RegExp(`href="/papers/date/${newestDay}"`));
    });

    it("shows a week and a month with their totals and days", async () => {
      const year = newestDay.slice(0, 4);
      const weekPage = await get(app, "/papers/week");
      assert.equal(weekPage.status, 302);
      const weekPath = weekPage.response.headers.get("location") ?? "";
      assert.match(weekPath, new RegExp(`^/papers/week/${year}-W\\d\\d$`));
      const { status, html } = await get(app, weekPath);
      assert.equal(status, 200);
      assert.match(html, /Papers of the week/);
      assert.match(html, new RegExp(`href="/papers/date/${newestDay}"`));

      const month = newestDay.slice(0, 7);
      const monthPage = await get(app, `/papers/month/${month}`);
      const total = (await store.feed.range({ from: `${month}-01`, to: `${month}-31`, limit: 1 })).total;
      assert.match(monthPage.html, new RegExp(`${total.toLocaleString("en-US")} papers`));
      assert.equal(cardTitles(monthPage.html).length, Math.min(total, 50));
      assert.equal((await get(app, "/papers/week/2025-W54")).status, 400);
      assert.equal((await get(app, "/papers/month/2025-13")).status, 400);
    });

    it("sorts a feed by date on request and rejects unknown sorts and pages", async () => {
      const byDate = await store.feed.range({ from: newestDay, to: newestDay, sort: "date", limit: 100 });
      const { html } = await get(app, `/papers/date/${newestDay}?sort=date`);
      assert.deepEqual(
        cardTitles(html),
        byDate.items.map((i) => escaped(i.paper.title)),
      );
      assert.match(html, /aria-current="true">Newest</);
      assert.equal((await get(app, `/papers/date/${newestDay}?sort=stars`)).status, 400);
      assert.equal((await get(app, `/papers/date/${newestDay}?page=0`)).status, 400);
      assert.equal((await get(app, `/papers/date/${newestDay}?page=99`)).status, 404);
    });

    it("lists trending papers by stored score", async () => {
      const expected = await store.listings.trending({ limit: 50, offset: 0 });
      const { html } = await get(app, "/papers/trending");
      assert.deepEqual(
        cardTitles(html),
        expected.papers.map((p) => escaped(p.title)),
      );
    });

    it("shows a paper with its metadata, typeset abstract and citation data", async () => {
      const { status, html } = await get(app, "/papers/hep-th/9901001");
      assert.equal(status, 200);
      assert.match(html, /<h1>Strings on an old-style identifier<\/h1>/);
      assert.match(html, /<a href="\/authors\/Ada%20Lovelace">Ada Lovelace<\/a>/);
      assert.match(html, /Analytical Engines Ltd/);
      assert.match(html, /<a href="\/categories\/hep-th">High Energy Physics - Theory \(hep-th\)<\/a>/);
      // Inline and display math typeset, the broken formula left as text.
      assert.match(html, /class="katex"/);
      assert.match(html, /class="katex-display"/);
      assert.match(html, /\$\\frac\{1\}\{\$ which is broken/);
      assert.match(html, /href="https:\/\/arxiv\.org\/pdf\/hep-th\/9901001"/);
      assert.match(html, /<meta name="citation_title" content="Strings on an old-style identifier"/);
      assert.match(html, /<meta name="citation_author" content="Ada Lovelace"/);
      assert.match(html, /<meta name="citation_publication_date" content="1999\/01\/04"/);
      assert.match(html, /<meta name="citation_doi" content="10.1000\/strings"/);
      assert.match(html, /<meta property="og:title" content="Strings on an old-style identifier"/);
      assert.match(html, /<meta name="twitter:card" content="summary"/);
      const jsonLd = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
      const article = JSON.parse(jsonLd ?? "{}") as { "@type": string; author: { name: string }[] };
      assert.equal(article["@type"], "ScholarlyArticle");
      assert.deepEqual(
        article.author.map((a) => a.name),
        ["Ada Lovelace", PROLIFIC_AUTHOR],
      );
      assert.match(html, /@misc\{lovelace1999strings,/);
      for (const id of ["upvotes", "comments", "similar-papers"]) assert.match(html, new RegExp(`id="${id}"`));
    });

    it("redirects versioned ids, serves BibTeX as a download, and answers 404/400 for unknown and malformed ids", async () => {
      const paperId = (await store.feed.range({ from: newestDay, to: newestDay, limit: 1 })).items[0]?.paper.id;
      assert.ok(paperId);
      const versioned = await get(app, `/papers/${paperId}v3`);
      assert.equal(versioned.status, 301);
      assert.equal(versioned.response.headers.get("location"), `/papers/${paperId}`);
      assert.equal((await get(app, `/papers/${paperId}`)).status, 200);

      const bib = await get(app, "/papers/hep-th/9901001.bib");
      assert.equal(bib.status, 200);
      assert.match(bib.response.headers.get("content-type") ?? "", /application\/x-bibtex/);
      assert.equal(bib.response.headers.get("content-disposition"), 'attachment; filename="hep-th_9901001.bib"');
      assert.match(bib.html, /^@misc\{lovelace1999strings,\n {2}title = \{Strings on an old-style identifier\},/);
      assert.equal((await get(app, "/papers/hep-th/9901001v2.bib")).status, 301);

      const unknown = await get(app, "/papers/2501.00000");
      assert.equal(unknown.status, 404);
      assert.match(unknown.html, /Paper not found/);
      for (const path of ["/papers/not-an-id", "/papers/2501.1", "/papers/%3Cscript%3E"]) {
        assert.equal((await get(app, path)).status, 400, path);
      }
      // The Markdown view belongs to the API; the page route lets it through.
      assert.equal((await get(app, `/papers/${paperId}.md`)).status, 200);
    });

    it("lists an author's papers newest first, paged", async () => {
      const first = await get(app, `/authors/${encodeURIComponent(PROLIFIC_AUTHOR)}`);
      assert.equal(first.status, 200);
      assert.match(first.html, new RegExp(`${PROLIFIC_PAPERS + 1} papers`));
      const titles = cardTitles(first.html);
      assert.equal(titles.length, 50);
      assert.equal(titles[0], "Prolific result number 55");
      assert.match(first.html, /href="\/authors\/Prolific%20Q\.%20Author\?page=2" rel="next"/);
      const second = await get(app, `/authors/${encodeURIComponent(PROLIFIC_AUTHOR)}?page=2`);
      assert.equal(cardTitles(second.html).length, PROLIFIC_PAPERS + 1 - 50);
      assert.equal(cardTitles(second.html).at(-1), "Strings on an old-style identifier");
      assert.equal((await get(app, "/authors/Nobody%20Atall")).status, 404);
    });

    it("lists a category's papers, cross-lists included", async () => {
      const { status, html } = await get(app, "/categories/math-ph");
      assert.equal(status, 200);
      assert.deepEqual(cardTitles(html), ["Strings on an old-style identifier"]);
      assert.match(html, /<h1>Mathematical Physics<\/h1>/);
      assert.match(html, /<a href="\/categories\/math-ph" title="Mathematical Physics">math-ph<\/a>/);
      assert.equal((await get(app, "/categories/cs.XX")).status, 404);
      assert.equal((await get(app, "/categories/%3Cb%3E")).status, 400);
    });

    it("renders hostile text as text and drops javascript: links", async () => {
      const { html } = await get(app, `/papers/${HOSTILE.id}`);
      assert.ok(!html.includes("<script>window"), "no script element from data");
      assert.ok(!html.includes("<img src=x"), "no img element from data");
      assert.ok(!/href="javascript:/i.test(html), "no javascript: link");
      assert.ok(html.includes(escaped("<script>window.__pwned")), "the title is shown as text");
      const author = await get(app, `/authors/${encodeURIComponent(HOSTILE.author)}`);
      assert.equal(author.status, 200);
      assert.ok(!author.html.includes("<img src=x"));
    });

    it("answers unknown pages with an HTML 404 and unknown API paths with JSON", async () => {
      const page = await get(app, "/no/such/page");
      assert.equal(page.status, 404);
      assert.match(page.html, /<h1>Page not found<\/h1>/);
      const api = await get(app, "/api/no-such-endpoint");
      assert.equal(api.status, 404);
      assert.match(api.response.headers.get("content-type") ?? "", /json/);
    });

    it("serves its CSS and KaTeX's CSS and fonts under a fingerprinted path, cached for good", async () => {
      const home = (await get(app, "/")).html;
      const css = /href="(\/assets\/[0-9a-f]+\/site\.css)"/.exec(home)?.[1];
      const katexCss = /href="(\/assets\/[0-9a-f]+\/katex\/katex\.min\.css)"/.exec(home)?.[1];
      assert.ok(css && katexCss);
      for (const path of [css, katexCss]) {
        const { status, response } = await get(app, path);
        assert.equal(status, 200, path);
        assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
        assert.match(response.headers.get("content-type") ?? "", /text\/css/);
      }
      const katexText = (await get(app, katexCss)).html;
      const font = /url\((fonts\/KaTeX_Main-Regular\.woff2)\)/.exec(katexText)?.[1];
      assert.ok(font);
      const fontResponse = await app.request(katexCss.replace("katex.min.css", font));
      assert.equal(fontResponse.status, 200);
      assert.equal(fontResponse.headers.get("content-type"), "font/woff2");
      const gz = await app.request(css, { headers: { "Accept-Encoding": "gzip" } });
      assert.match(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), /prefers-color-scheme: dark/);
      assert.equal((await get(app, css.replace(/\/assets\/[0-9a-f]+\//, "/assets/0000/"))).status, 404);
      assert.equal((await get(app, css.replace("site.css", "../../package.json"))).status, 404);
    });
  });
}
