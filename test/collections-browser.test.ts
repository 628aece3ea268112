import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import type { PaperRecord } from "../src/papers/record.ts";
import { axeViolations, launchChromium, noBrowser } from "./support/browser.ts";
import { TEST_PASSWORD, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { serveCommunity } from "./support/serve-community.ts";

const feedDay = "2026-08-21";
const papers: PaperRecord[] = [
  {
    id: "2608.80001",
    title: "Saved From a Card",
    authors: [{ name: "Barbara Liskov" }],
    categories: ["cs.PL"],
    publishedAt: "2026-08-20T17:00:00.000Z",
    upvotes: 9,
    feed: { date: feedDay, source: "hf" },
  },
  {
    id: "2608.80002",
    title: "Found Through a Category",
    authors: [{ name: "Frances Allen" }],
    categories: ["cs.DC"],
    publishedAt: "2026-08-19T17:00:00.000Z",
    upvotes: 2,
    feed: { date: feedDay, source: "hf" },
  },
];

describe("collections, follows and My feed, in Chromium", { skip: noBrowser }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  for (const kind of databaseKinds) {
    test(
      `save a paper from a card into a new collection, follow an author and a category, read My feed, on ${kind.kind}`,
      {
        skip: kind.skip,
      },
      () =>
        withStore(kind, async (store) => {
          await store.papers.upsertBatch(papers);
          await verifiedUser(store, "reader");
          const site = await serveCommunity(store);
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          try {
            const page = await context.newPage();
            await page.goto(`${site.base}/login`);
            await page.getByLabel("Username or e-mail address").fill("reader");
            await page.getByLabel("Password").fill(TEST_PASSWORD);
            await page.getByRole("button", { name: "Log in" }).click();
            await page.waitForSelector(".account-nav >> text=reader");

            // Save from the first card: the script sends the form and says where the paper went.
            await page.goto(`${site.base}/papers/date/${feedDay}`);
            const card = page.locator("article.card", { hasText: "Saved From a Card" });
            await card.locator("details.save summary").click();
            await card.getByLabel("New collection").fill("Languages");
            await card.getByRole("button", { name: "Save", exact: true }).click();
            await card.locator(".save-outcome a", { hasText: "Languages" }).waitFor();
            assert.equal(new URL(page.url()).pathname, `/papers/date/${feedDay}`, "the page stayed");
            assert.match(await card.locator(".save-outcome").innerText(), /^Saved to Languages$/);
            // The new collection is offered on the other cards straight away.
            const other = page.locator("article.card", { hasText: "Found Through a Category" });
            await other.locator("details.save summary").click();
            assert.equal(
              await other.getByLabel("Collection").inputValue(),
              await card.getByLabel("Collection").inputValue(),
            );
            assert.deepEqual(await axeViolations(page), [], "feed with an open Save form");

            await card.locator(".save-outcome a").click();
            await page.waitForSelector("h1 >> text=Languages");
            assert.match(await page.locator(".collection-items").innerText(), /Saved From a Card/);
            assert.deepEqual(await axeViolations(page), [], "own collection page");

            // Follow an author and a category from their pages.
            await page.goto(`${site.base}/authors/Barbara%20Liskov`);
            await page.getByRole("button", { name: "Follow Barbara Liskov" }).click();
            await page.waitForSelector('.follow-form button[aria-pressed="true"]');
            await page.goto(`${site.base}/categories/cs.DC`);
            await page.getByRole("button", { name: "Follow cs.DC" }).click();
            await page.waitForSelector('.follow-form button[aria-pressed="true"]');

            await page.getByRole("link", { name: "My feed" }).click();
            await page.waitForSelector("h1 >> text=My feed");
            const items = page.locator(".cards > li");
            assert.equal(await items.count(), 2);
            assert.match(await items.nth(0).innerText(), /Saved From a Card[\s\S]*By Barbara Liskov, whom you follow/);
            assert.match(
              await items.nth(1).innerText(),
              /Found Through a Category[\s\S]*In .*cs\.DC.*, which you follow/,
            );
            assert.deepEqual(await axeViolations(page), [], "My feed");
          } finally {
            await context.close();
            await site.close();
          }
        }),
    );
  }
});
