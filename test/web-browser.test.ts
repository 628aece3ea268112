import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import {
  axeViolations,
  demoSiteInChromium,
  noBrowser,
  screenshotDir,
  type Viewport,
  viewports,
} from "./support/browser.ts";
import { TEST_PASSWORD, verifiedUser } from "./support/community.ts";
import { HOSTILE, ingestSiteRecords, pageClasses } from "./support/site-fixtures.ts";

/** The paper at the top of the newest day: it has Hugging Face data, a thumbnail and code. */
const TOP_PAPER = "2608.19880";

/**
 * Interactive elements smaller than 24×24 px (WCAG 2.2, 2.5.8), as "tag text w×h". Links inside
 * running text are exempt, as the criterion allows, and so is Swagger UI on /docs (not ours).
 */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, summary")]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || element.closest("#swagger-ui")) return false;
        const inText = getComputedStyle(element).display === "inline" && element.closest("p") !== null;
        return !inText && (box.width < 23.5 || box.height < 23.5);
      })
      .map((e) => {
        const box = e.getBoundingClientRect();
        return `${e.tagName.toLowerCase()} "${e.textContent?.trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`;
      }),
  );
}

describe("the site in Chromium", { skip: noBrowser }, () => {
  const site = demoSiteInChromium(async (store) => {
    await ingestSiteRecords(store);
    // A long name, as a signed-in reader's header must hold one.
    await verifiedUser(store, "margaret_hamilton_1936");
  });

  async function openPage(
    options: { javaScriptEnabled?: boolean; viewport?: Viewport; colorScheme?: "light" | "dark" } = {},
  ): Promise<Page> {
    const context = await site.browser.newContext({ viewport: viewports.desktop, ...options });
    return context.newPage();
  }

  const heading = (page: Page) => page.locator("h1").innerText();
  // count() does not wait: after a click the new page may still be arriving (as on a busy machine).
  const cardCount = async (page: Page) => {
    await page.waitForLoadState();
    return page.locator("ul.cards > li").count();
  };
  const topOf = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((e) => e.getBoundingClientRect().top + window.scrollY);

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

    // Jumping to a date from a week lands on that date's week.
    await page.getByLabel("Jump to date").fill(previous);
    await page.getByRole("button", { name: "Go" }).click();
    assert.equal(await heading(page), "Papers of the week");

    await page.getByRole("link", { name: "Month", exact: true }).click();
    assert.equal(await heading(page), "Papers of the month");

    const firstCard = page.locator("ul.cards > li").first();
    const title = await firstCard.locator("h2 a").innerText();
    await firstCard.locator("h2 a").click();
    assert.equal(await heading(page), title);
    assert.ok(await page.locator("#upvotes").isVisible());
    assert.match(await page.locator("pre.bibtex").innerText(), /^@misc\{/);

    const author = page.locator(".paper-head .authors a").first();
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

  it("fits a phone and a laptop on every page class: axe clean in light and dark, no sideways scroll, 24 px targets", async () => {
    const newest = (await site.store.feed.latestDay()) ?? assert.fail("empty demo feed");
    for (const viewport of [viewports.phone, viewports.desktop]) {
      for (const colorScheme of ["light", "dark"] as const) {
        const page = await openPage({ viewport, colorScheme });
        for (const pagePath of pageClasses(newest)) {
          const where = `${pagePath} (${colorScheme}, ${viewport.width} px)`;
          await page.goto(`${site.base}${pagePath}`);
          // Only colours change in the dark: the other rules ran in the light.
          const rules = colorScheme === "dark" ? ["color-contrast"] : undefined;
          assert.deepEqual(await axeViolations(page, { rules }), [], where);
          if (colorScheme === "dark") continue;
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= viewport.width, `${where} is ${width} px wide`);
          assert.deepEqual(await smallTargets(page), [], where);
        }
        await page.context().close();
      }
    }
  });

  it("puts title, authors, the upvotes and the PDF link above the fold on a phone, then the abstract", async () => {
    const page = await openPage({ viewport: viewports.phone, javaScriptEnabled: false });
    await page.goto(`${site.base}/papers/${TOP_PAPER}`);
    const pdf = page.getByRole("link", { name: "PDF", exact: true });
    const box = (await pdf.boundingBox()) ?? assert.fail("no PDF link");
    assert.ok(box.y + box.height <= viewports.phone.height, `the PDF link ends at y=${box.y + box.height}`);
    const order = [
      await topOf(page, "h1"),
      await topOf(page, ".paper-head .authors"),
      await topOf(page, "#upvotes"),
      box.y,
      await topOf(page, ".abstract"),
    ];
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      `title, authors, upvotes, PDF, abstract at ${order.join(", ")}`,
    );
    // A feed day and a month show their first paper early, under compact chrome.
    for (const [pagePath, most] of [
      ["/", 340],
      ["/papers/month/2026-08", 400],
    ] as const) {
      await page.goto(`${site.base}${pagePath}`);
      const first = await topOf(page, "ul.cards > li");
      assert.ok(first <= most, `the first card of ${pagePath} starts at y=${first}`);
    }
    await page.context().close();
  });

  it("switches between light and dark and remembers it; without JavaScript the system setting decides", async () => {
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const page = await openPage({ colorScheme: "light" });
    await page.goto(`${site.base}/`);
    const light = await background(page);
    const toggle = page.getByRole("button", { name: "Dark theme" });
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    const dark = await background(page);
    assert.notEqual(dark, light);
    await page.goto(`${site.base}/papers/trending`);
    assert.equal(await background(page), dark, "remembered on the next page");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await page.context().close();

    const noScript = await openPage({ colorScheme: "dark", javaScriptEnabled: false });
    await noScript.goto(`${site.base}/`);
    assert.equal(await background(noScript), dark);
    assert.equal(await noScript.locator("#theme-toggle").isVisible(), false, "no switch that could not work");
    await noScript.context().close();
  });

  it("draws a stand-in where Hugging Face's thumbnail can't load", async () => {
    const page = await openPage();
    await page.route("https://cdn-thumbnails.huggingface.co/**", (route) => route.abort());
    await page.goto(`${site.base}/papers/${TOP_PAPER}`);
    const image = page.locator(".thumbnail img");
    await image.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>(".thumbnail img")?.complete);
    assert.equal(await image.evaluate((img: HTMLImageElement) => img.naturalWidth), 0, "the image did not load");
    const standIn = await image.evaluate((img) => getComputedStyle(img, "::after").content);
    assert.match(standIn, /EnvHarness/);
    await page.context().close();
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
    assert.equal(await page.locator("main img").count(), 0);
    assert.deepEqual(dialogs, []);
    await page.context().close();
  });

  it("saves screenshots of home, a paper and search on a laptop and a phone, and home in dark", async () => {
    const screenshots = screenshotDir({ readme: true });
    const shots = [
      ["home", "/"],
      ["paper", `/papers/${TOP_PAPER}`],
      ["search", "/search?q=diffusion+language+models"],
    ] as const;
    for (const [device, viewport] of [
      ["desktop", viewports.desktop],
      ["phone", viewports.phone],
    ] as const) {
      const page = await openPage({ viewport, colorScheme: "light" });
      await page.route("https://cdn-thumbnails.huggingface.co/**", (route) => route.abort());
      for (const [name, pagePath] of shots) {
        await page.goto(`${site.base}${pagePath}`);
        await page.screenshot({ path: path.join(screenshots, `${name}-${device}.png`) });
      }
      await page.context().close();
    }
    const dark = await openPage({ viewport: viewports.phone, colorScheme: "dark" });
    await dark.goto(`${site.base}/`);
    await dark.screenshot({ path: path.join(screenshots, "home-phone-dark.png") });
    await dark.context().close();
  });

  it("keeps the header's links on one line each from 320 to 1440 px, signed in or out, on one row from 1024 px", async () => {
    const screenshots = screenshotDir();
    for (const signedIn of [false, true]) {
      const page = await openPage();
      if (signedIn) {
        await page.goto(`${site.base}/login`);
        await page.locator("#login-name").fill("margaret_hamilton_1936");
        await page.locator("#login-password").fill(TEST_PASSWORD);
        await page.locator("main").getByRole("button", { name: "Log in" }).click();
        await page.waitForURL((url) => url.pathname === "/");
      }
      for (const width of [320, 390, 640, 800, 1024, 1100, 1280, 1440]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${site.base}/`);
        // No named functions in here: the test's compiler would wrap them in a helper the page lacks.
        const header = await page.evaluate(() => {
          const [parts = [], nav = [], account = []] = [
            ".site-header .wrap > *",
            ".site-nav li",
            ".account-nav li",
          ].map((selector) =>
            [...document.querySelectorAll(selector)].filter((e) => e.getBoundingClientRect().width > 1),
          );
          // Rows: tops more than 8 px below the one before (items on a row differ by their alignment only).
          const [rows = 0, navRows = 0, accountRows = 0] = [parts, nav, account].map(
            (shown) =>
              shown
                .map((e) => e.getBoundingClientRect().top)
                .sort((a, b) => a - b)
                .filter((top, i, tops) => i === 0 || top - (tops[i - 1] ?? top) > 8).length,
          );
          return {
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            rows,
            navRows,
            accountRows,
            account: account.map((e) => e.textContent?.trim()),
          };
        });
        const what = `${signedIn ? "signed in" : "signed out"} at ${width} px: ${JSON.stringify(header)}`;
        assert.equal(header.overflow, 0, what);
        assert.deepEqual([header.navRows, header.accountRows], [1, 1], what);
        assert.ok(header.rows <= (width < 390 ? 3 : width < 1024 ? 2 : 1), what);
        if (width >= 800) {
          const links = signedIn ? ["My feed", "Submit", "margaret_hamilton_1936", "Log out"] : ["Log in", "Sign up"];
          assert.deepEqual(header.account, links, what);
        }
        const shot = `header-${signedIn ? "signed-in" : "signed-out"}-${width}.png`;
        await page.locator(".site-header").screenshot({ path: path.join(screenshots, shot) });
      }
      await page.context().close();
    }
  });
});
