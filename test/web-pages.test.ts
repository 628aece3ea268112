import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { HtmlValidate } from "html-validate";
import { isoWeekOf } from "../src/calendar/periods.ts";
import { readJsonLines } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { DEMO_CORPUS } from "../src/server/demo.ts";
import type { Store } from "../src/store/index.ts";
import { testApp } from "./support/api-app.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";
import {
  HOSTILE,
  ingestSiteRecords,
  PROLIFIC_AUTHOR,
  PROLIFIC_PAPERS,
  pageClasses,
  TEX_PAPER,
} from "./support/site-fixtures.ts";

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
      assert.match(home, /<span class="pill" aria-disabled="true"><span class="step-words">Next day<\/span> →<\/span>/);

      const calendar = await store.listings.calendar(newestDay, newestDay);
      const first = calendar.first ?? assert.fail("no first day");
      const start = (await get(app, `/papers/date/${first}`)).html;
      assert.match(
        start,
        /<span class="pill" aria-disabled="true">← <span class="step-words">Previous day<\/span><\/span>/,
      );

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
      // Inline and display math typeset as MathML, the broken formula left as text.
      assert.match(html, /class="katex"><math/);
      assert.match(html, /class="math-display"/);
      assert.match(html, /\$\\frac\{1\}\{\$ which is broken/);
      assert.match(html, /href="https:\/\/arxiv\.org\/pdf\/hep-th\/9901001"/);
      assert.match(html, /<meta name="citation_title" content="Strings on an old-style identifier"/);
      assert.match(html, /<meta name="citation_author" content="Ada Lovelace"/);
      assert.match(html, /<meta name="citation_publication_date" content="1999\/01\/04"/);
      assert.match(html, /<meta name="citation_doi" content="10.1000\/strings"/);
      assert.match(html, /<meta property="og:title" content="Strings on an old-style identifier"/);
      assert.match(html, /<meta name="twitter:card" content="summary_large_image"/);
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

    it("serves its CSS and script under a fingerprinted path, cached for good, and the site icon", async () => {
      const home = (await get(app, "/")).html;
      const css = /href="(\/assets\/[0-9a-f]+\/site\.css)"/.exec(home)?.[1];
      const script = /src="(\/assets\/[0-9a-f]+\/theme\.js)"/.exec(home)?.[1];
      assert.ok(css && script);
      for (const [path, type] of [
        [css, /text\/css/],
        [script, /text\/javascript/],
      ] as const) {
        const { status, response } = await get(app, path);
        assert.equal(status, 200, path);
        assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
        assert.match(response.headers.get("content-type") ?? "", type);
      }
      const gz = await app.request(css, { headers: { "Accept-Encoding": "gzip" } });
      assert.match(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), /light-dark\(/);
      assert.equal((await get(app, css.replace(/\/assets\/[0-9a-f]+\//, "/assets/0000/"))).status, 404);
      assert.equal((await get(app, css.replace("site.css", "../../package.json"))).status, 404);

      const ico = await app.request("/favicon.ico");
      assert.equal(ico.status, 200);
      assert.equal(ico.headers.get("content-type"), "image/x-icon");
      const icoBytes = Buffer.from(await ico.arrayBuffer());
      assert.deepEqual([...icoBytes.subarray(0, 4)], [0, 0, 1, 0], "an ICO header");
      assert.equal(icoBytes.subarray(22, 26).toString("latin1"), "\x89PNG");
      const svg = await app.request("/icon.svg");
      assert.equal(svg.headers.get("content-type"), "image/svg+xml");
      assert.match(await svg.text(), /^<svg /);
    });

    it("shows a publication date as the date it is, everywhere", async () => {
      // 2608.19880 is published 2026-08-20 (stored as its UTC midnight, the evening before in New York).
      const paper = await store.papers.get("2608.19880");
      assert.equal(paper?.publishedAt, "2026-08-20T00:00:00.000Z");
      const pages = [
        `/papers/date/${newestDay}`,
        "/papers/2608.19880",
        "/search?q=EnvHarness&mode=keyword",
        `/papers/week/${isoWeekOf(newestDay)}`,
      ];
      for (const path of pages) {
        const { html } = await get(app, path);
        const shown = html.slice(Math.max(0, html.indexOf('<a href="/papers/2608.19880">')));
        assert.match(shown, /^[\s\S]*?Published <time datetime="2026-08-20">Aug 20, 2026<\/time>/, path);
      }
      // A version uploaded at 02:30 UTC is dated that day, as arXiv dates it.
      const { html } = await get(app, `/papers/${TEX_PAPER.id}`);
      assert.match(html, /<time datetime="2024-02-01">Feb 1, 2024<\/time>/);
    });

    it("parses without an HTML error on every page class", async () => {
      const validator = new HtmlValidate({ extends: ["html-validate:standard", "html-validate:a11y"] });
      for (const path of pageClasses(newestDay)) {
        const { html } = await get(app, path);
        const report = await validator.validateString(html);
        const messages = report.results.flatMap((r) =>
          r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`),
        );
        assert.deepEqual(messages, [], path);
      }
    });

    it("typesets TeX in titles, cards and search snippets, with unknown macros readable and -- as an en dash", async () => {
      for (const path of [
        `/papers/${TEX_PAPER.id}`,
        "/authors/Ada%20Lovelace",
        "/search?q=regret+bound+linear&mode=keyword",
      ]) {
        // What the page shows, less the BibTeX, which keeps the TeX as it must.
        const html = ((await get(app, path)).html.split("<main")[1] ?? "").replace(
          /<pre class="bibtex">.*?<\/pre>/s,
          "",
        );
        assert.match(html, /<mover accent="true"><mi>O<\/mi><mo>~<\/mo><\/mover>/, path);
        assert.doesNotMatch(html, /\$\\tilde/, path);
        assert.match(html, /MDPs \u2013 a study/, path);
      }
      const { html } = await get(app, `/papers/${TEX_PAPER.id}`);
      assert.match(html, /pages 10\u201320/);
      assert.match(html, /<mi mathvariant="normal">myop<\/mi>|<mi>x<\/mi>/);
    });

    it("keeps the author of an author page in sight on every card", async () => {
      const { html } = await get(app, "/authors/Ada%20Lovelace");
      const card = html.slice(html.indexOf(`href="/papers/${TEX_PAPER.id}"`));
      const folded = card.slice(card.indexOf("<details>"), card.indexOf("</details>"));
      assert.match(card.slice(0, card.indexOf("<details>")), /<a href="\/authors\/Ada%20Lovelace">Ada Lovelace<\/a>/);
      assert.doesNotMatch(folded, /Ada Lovelace/);
      assert.match(folded, /\+5 more authors/);
    });

    it("shows the Hugging Face data of a paper: AI summary and keywords labelled, submitter, organisation, link, thumbnail", async () => {
      const { html } = await get(app, "/papers/2608.19880");
      const paper = (await store.papers.get("2608.19880")) ?? assert.fail("no paper");
      assert.ok(paper.hf.aiSummary && paper.hf.thumbnail);
      assert.match(html, /AI summary <span class="badge">AI-generated<\/span>/);
      assert.ok(html.includes(escaped(paper.hf.aiSummary)));
      assert.match(html, /<dt>Submitted by<\/dt><dd><a href="https:\/\/huggingface.co\/taesiri">taesiri<\/a>/);
      assert.match(html, /<dt>Organisation<\/dt><dd><a href="https:\/\/huggingface.co\/google">Google<\/a>/);
      assert.match(html, /<a href="https:\/\/huggingface.co\/papers\/2608.19880">On Hugging Face<\/a>/);
      assert.match(
        html,
        new RegExp(`<img src="${paper.hf.thumbnail.replaceAll(".", "\\.")}" alt="" data-fallback="EnvHarness`),
      );
      assert.match(html, /class="thumbnail-fallback"/);
      // A paper only arXiv knows has none of it.
      const plain = (await get(app, "/papers/hep-th/9901001")).html;
      assert.doesNotMatch(plain, /AI summary|On Hugging Face|class="thumbnail"/);
    });

    it("draws a PNG social card for each paper, linked from its page and cached by version", async () => {
      const { html } = await get(app, "/papers/2608.19880");
      const image =
        /<meta property="og:image" content="https:\/\/papers\.example\.org(\/papers\/2608\.19880\.png\?v=[\w-]+)"/.exec(
          html,
        )?.[1];
      assert.ok(image, "og:image");
      const card = await app.request(image);
      assert.equal(card.status, 200);
      assert.equal(card.headers.get("content-type"), "image/png");
      assert.equal(card.headers.get("cache-control"), "public, max-age=31536000, immutable");
      const png = Buffer.from(await card.arrayBuffer());
      assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630]);
      const old = await app.request("/papers/2608.19880.png?v=old");
      assert.equal(old.headers.get("cache-control"), "public, max-age=300");
      assert.equal((await app.request("/papers/hep-th/9901001.png")).status, 200);
      assert.equal((await app.request("/papers/2501.00000.png")).status, 404);
    });

    it("lists the categories with their counts, and says which papers no category lists", async () => {
      const { html } = await get(app, "/categories");
      const counts = await store.listings.categoryCounts();
      assert.ok(counts.uncategorized > 0, "the demo holds papers known only from the Hugging Face feed");
      const lg = counts.categories.find((c) => c.category === "cs.LG") ?? assert.fail("no cs.LG");
      assert.match(
        html,
        new RegExp(
          `<a href="/categories/cs.LG"><span class="category-name">Machine Learning</span><span class="category-id">cs.LG</span></a><span class="muted">${lg.papers.toLocaleString("en-US")} papers?</span>`,
        ),
      );
      const notice = `${counts.uncategorized.toLocaleString("en-US")} papers are known only from the Hugging Face daily feed and have no arXiv categories`;
      assert.ok(html.includes(notice));
      assert.ok((await get(app, "/categories/cs.LG")).html.includes(notice));
      assert.match((await get(app, "/")).html, /<a href="\/categories">Categories<\/a>/);
    });

    it("keeps a week or month when jumping to a date from it", async () => {
      const week = await get(app, "/papers?date=2026-08-20&period=week");
      assert.equal(week.response.headers.get("location"), "/papers/week/2026-W34");
      const month = await get(app, "/papers?date=2026-08-20&period=month");
      assert.equal(month.response.headers.get("location"), "/papers/month/2026-08");
      assert.equal((await get(app, "/papers?date=2026-08-20&period=year")).status, 400);
      const weekPage = (await get(app, "/papers/week/2026-W34")).html;
      assert.match(weekPage, /<input type="hidden" name="period" value="week"\/>/);
    });

    it("reads plainly: Next/Previous pages, no '0 comments', the query kept in the header, modes in words", async () => {
      const author = (await get(app, `/authors/${encodeURIComponent(PROLIFIC_AUTHOR)}`)).html;
      assert.match(author, /rel="next">Next →<\/a>/);
      assert.match(
        (await get(app, `/authors/${encodeURIComponent(PROLIFIC_AUTHOR)}?page=2`)).html,
        /rel="prev">← Previous<\/a>/,
      );
      assert.doesNotMatch(author, /0 comments/);
      const search = (await get(app, "/search?q=diffusion")).html;
      assert.match(search, /<input id="site-search" type="search" name="q" value="diffusion"/);
      assert.match(
        search,
        /<option value="keyword">Words<\/option><option value="semantic">Meaning<\/option><option value="hybrid" selected="">Both<\/option>/,
      );
      assert.match((await get(app, "/search?q=diffusion&mode=keyword")).html, /matched by the words/);
    });

    it("serves the API documentation inside the site's frame, linked from the footer", async () => {
      const { html } = await get(app, "/docs");
      assert.match(html, /<header class="site-header">/);
      assert.match(html, /<h1>API documentation<\/h1>/);
      assert.match(
        (await get(app, "/")).html,
        /<footer class="site-footer">.*<a href="\/docs">API documentation<\/a>/s,
      );
    });
  });
}
