import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { assertAccessible, demoSiteInChromium, noBrowser } from "./support/browser.ts";
import { HOSTILE, ingestSiteRecords } from "./support/site-fixtures.ts";

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../docs/screenshots");

const desktop = { width: 1280, height: 900 };
const phone = { width: 360, height: 780 };

describe("the site in Chromium", { skip: noBrowser }, () => {
  const site = demoSiteInChromium(ingestSiteRecords);

  async function openPage(options: { javaScriptEnabled?: boolean; viewport?: typeof desktop } = {}): Promise<Page> {
    const context = await site.browser.newContext({ viewport: options.viewport ?? desktop, ...options });
    return context.newPage();
  }

  const heading = (page: Page) => page.locator("h1").innerText();
  // count() does not wait: after a click the new page may still be arriving (as on a busy machine).
  const cardCount = async (page: Page) => {
    await page.waitForLoadState();
    return page.locator("ul.cards > li").count();
  };

  it("walks home → previous day → week → month → paper → author → back, with JavaScript off", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const newest = (await site.store.feed.latestDay()) ?? assert.fail("empty demo feed");
    const { previous } = await site.store.feed.neighbours(newest);
    assert.ok(previous);

    await page.goto(`${site.base}/`);
    assert.equal(await heading(page), "Daily Papers");
    const newestTotal = (await site.store.feed.range({ from: newest, to: newest, limit: 1 })).total;
    assert.ok(newestTotal >= 10);
    assert.equal(await cardCount(page), newestTotal);

    await page.getByRole("link", { name: "← Previous day" }).click();
    assert.equal(new URL(page.url()).pathname, `/papers/date/${previous}`);
    const previousTotal = (await site.store.feed.range({ from: previous, to: previous, limit: 1 })).total;
    assert.equal(await cardCount(page), Math.min(previousTotal, 50));
    assert.match(await page.locator("main").innerText(), new RegExp(`${previousTotal} papers?`));

    await page.getByRole("link", { name: "Week", exact: true }).click();
    assert.equal(await heading(page), "Papers of the week");
    assert.match(new URL(page.url()).pathname, /^\/papers\/week\/\d{4}-W\d{2}$/);
    assert.ok((await cardCount(page)) >= previousTotal);

    await page.getByRole("link", { name: "Month", exact: true }).click();
    assert.equal(await heading(page), "Papers of the month");

    const firstCard = page.locator("ul.cards > li").first();
    const title = await firstCard.locator("h2 a").innerText();
    await firstCard.locator("h2 a").click();
    assert.equal(await heading(page), title);
    assert.ok(await page.locator("#upvotes").isVisible());
    assert.match(await page.locator("pre.bibtex").innerText(), /^@misc\{/);

    const author = page.locator("p.authors a").first();
    const name = await author.innerText();
    await author.click();
    assert.equal(await heading(page), name);
    assert.ok(await page.getByRole("link", { name: title, exact: true }).isVisible());

    await page.goBack();
    assert.equal(await heading(page), title);
    await page.context().close();
  });

  it("can be used from the keyboard: the first Tab reaches the skip link", async () => {
    const page = await openPage();
    await page.goto(`${site.base}/`);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "Skip to content");
    await page.keyboard.press("Enter");
    assert.match(page.url(), /#content$/);
    await page.context().close();
  });

  it("has no serious or critical accessibility violations, in light and dark", async () => {
    const newest = (await site.store.feed.latestDay()) ?? assert.fail("empty demo feed");
    const paths = ["/", `/papers/date/${newest}`, "/papers/hep-th/9901001", "/authors/Ada%20Lovelace"];
    await assertAccessible(site.browser, site.base, paths);
  });

  it("shows hostile titles, abstracts and author names as text and runs none of them", async () => {
    const page = await openPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    for (const pagePath of [`/papers/${HOSTILE.id}`, `/authors/${encodeURIComponent(HOSTILE.author)}`]) {
      await page.goto(`${site.base}${pagePath}`);
      assert.equal(await page.evaluate(() => (window as { __pwned?: string }).__pwned), undefined, pagePath);
    }
    await page.goto(`${site.base}/papers/${HOSTILE.id}`);
    assert.equal(await heading(page), HOSTILE.title);
    assert.match(await page.locator(".abstract").innerText(), /<script>window.__pwned="abstract"<\/script>/);
    assert.equal(await page.getByRole("link", { name: HOSTILE.author }).count(), 1);
    const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.ok(!hrefs.some((href) => href?.trim().toLowerCase().startsWith("javascript:")), hrefs.join(" "));
    assert.equal(await page.locator("img").count(), 0);
    assert.deepEqual(dialogs, []);
    await page.context().close();
  });

  it("fits a 360 px phone and saves screenshots of home and a paper", async () => {
    fs.mkdirSync(screenshots, { recursive: true });
    const newest = (await site.store.feed.latestDay()) ?? assert.fail("empty demo feed");
    const top = (await site.store.feed.range({ from: newest, to: newest, limit: 1 })).items[0]?.paper;
    assert.ok(top);
    for (const [device, viewport] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      const page = await openPage({ viewport });
      for (const [name, pagePath] of [
        ["home", "/"],
        ["paper", `/papers/${top.id}`],
      ] as const) {
        await page.goto(`${site.base}${pagePath}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `${pagePath} is ${width} px wide on a ${viewport.width} px screen`);
        await page.screenshot({ path: path.join(screenshots, `${name}-${device}.png`) });
      }
      await page.context().close();
    }
  });
});
