import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { assertAccessible, demoSiteInChromium, noBrowser } from "./support/browser.ts";
import { embedWithBuiltinModel } from "./support/embedding.ts";

// A topic query that names its subject ("unlearning") in other words, and a demo paper on it.
const UNLEARNING_PAPER = { id: "2605.24614", title: "Measuring the Depth of LLM Unlearning via Activation Patching" };
const TOPIC_QUERY = "making language models forget what they learned";

describe("search and discovery in Chromium", { skip: noBrowser }, () => {
  const site = demoSiteInChromium(embedWithBuiltinModel);

  /** A page with JavaScript off: everything here must work as plain HTML forms and links. */
  async function openPage(): Promise<Page> {
    const context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    return context.newPage();
  }

  const heading = (page: Page) => page.locator("h1").innerText();

  async function searchFromHeader(page: Page, query: string) {
    await page.getByLabel("Search papers").fill(query);
    await page.getByLabel("Search papers").press("Enter");
    await page.waitForLoadState();
  }

  it("finds papers on a topic typed into the header search box, with the matching words marked", async () => {
    const page = await openPage();
    await page.goto(`${site.base}/`);
    await searchFromHeader(page, TOPIC_QUERY);
    assert.equal(new URL(page.url()).pathname, "/search");
    assert.equal(await heading(page), `Results for “${TOPIC_QUERY}”`);
    assert.match(await page.locator("main").innerText(), /matched by both words and meaning/);
    const titles = await page.locator("ul.cards > li h2").allInnerTexts();
    assert.ok(titles.length >= 10, `${titles.length} results`);
    const top = titles.slice(0, 5);
    assert.ok(
      top.filter((title) => /unlearn|forget/i.test(title)).length >= 3,
      `most of the top 5 are about unlearning: ${top.join(" | ")}`,
    );
    assert.ok((await page.locator("ul.cards mark").count()) > 0, "matching words are highlighted");
    await page.context().close();
  });

  it("goes straight to the paper when an arXiv link is pasted into the search box", async () => {
    const page = await openPage();
    await page.goto(`${site.base}/papers/trending`);
    await searchFromHeader(page, `https://arxiv.org/abs/${UNLEARNING_PAPER.id}v2`);
    assert.equal(new URL(page.url()).pathname, `/papers/${UNLEARNING_PAPER.id}`);
    assert.equal(await heading(page), UNLEARNING_PAPER.title);
    await page.context().close();
  });

  it("shows similar papers on a paper page, whose links open those papers, and 'More like this' leads there", async () => {
    const page = await openPage();
    await page.goto(`${site.base}/papers/${UNLEARNING_PAPER.id}`);
    const similar = page.locator("#similar-papers");
    assert.ok(await similar.isVisible());
    const links = similar.locator("ul.cards > li h3 a");
    assert.equal(await links.count(), 6);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(!hrefs.includes(`/papers/${UNLEARNING_PAPER.id}`), "never the paper itself");

    const first = links.first();
    const title = await first.innerText();
    await first.click();
    assert.equal(await heading(page), title);
    assert.ok(await page.locator("#similar-papers").isVisible());

    await page.goto(`${site.base}/search?q=${encodeURIComponent("activation patching")}`);
    const card = page.locator("ul.cards > li", { hasText: UNLEARNING_PAPER.title });
    await card.getByRole("link", { name: /^More like this/ }).click();
    const url = new URL(page.url());
    assert.equal(`${url.pathname}${url.hash}`, `/papers/${UNLEARNING_PAPER.id}#similar-papers`);
    await page.context().close();
  });

  it("has no serious or critical accessibility violations on search pages and similar papers, in light and dark", async () => {
    await assertAccessible(site.browser, site.base, [
      ...["", TOPIC_QUERY, "zzzzqqq nothing matches this"].map((q) => `/search?q=${encodeURIComponent(q)}`),
      `/papers/${UNLEARNING_PAPER.id}`,
    ]);
  });
});
