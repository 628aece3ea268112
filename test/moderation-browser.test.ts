import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import type { PaperRecord } from "../src/papers/record.ts";
import { axeViolations, launchChromium, noBrowser } from "./support/browser.ts";
import { TEST_PASSWORD, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { serveCommunity } from "./support/serve-community.ts";

const paper: PaperRecord = {
  id: "2608.60035",
  title: "Claimed in a Browser",
  abstract: "An author says who they are; a moderator agrees.",
  authors: [{ name: "Grace Hopper" }, { name: "Ada Lovelace" }],
  categories: ["cs.CY"],
  publishedAt: "2026-08-20T17:00:00.000Z",
  upvotes: 2,
  feed: { date: "2026-08-21", source: "hf" },
};

/** A signed-in browser context, watching for anything the CSP refuses. */
async function signedIn(browser: Browser, base: string, login: string, refusedByCsp: string[]) {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refusedByCsp.push(`${page.url()}: ${message.text()}`);
  });
  await page.goto(`${base}/login`);
  await page.getByLabel("Username or e-mail address").fill(login);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
}

describe("an authorship claim, in Chromium", { skip: noBrowser }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  for (const kind of databaseKinds) {
    test(`a reader claims a paper, a moderator approves, the badge shows, on ${kind.kind}`, { skip: kind.skip }, () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([paper]);
        await verifiedUser(store, "ada");
        await verifiedUser(store, "mod", "moderator");
        const site = await serveCommunity(store);
        const refusedByCsp: string[] = [];
        const author = await signedIn(browser, site.base, "ada", refusedByCsp);
        const moderator = await signedIn(browser, site.base, "mod", refusedByCsp);
        try {
          const { page } = author;
          await page.goto(`${site.base}/papers/${paper.id}`);
          assert.equal(await page.locator(".author-badge").count(), 0);
          await page.getByRole("link", { name: "Are you an author? Claim the paper" }).click();
          assert.deepEqual(await axeViolations(page), [], "claim form");
          await page.getByLabel("Ada Lovelace").check();
          await page.getByRole("button", { name: "Claim" }).click();
          assert.equal(await page.locator("h1").innerText(), "Claim sent");

          const queue = moderator.page;
          await queue.goto(`${site.base}/admin/claims`);
          assert.deepEqual(await axeViolations(queue), [], "claims queue");
          const row = queue.locator("tr", { hasText: "ada" });
          assert.match(await row.innerText(), /Ada Lovelace \(author 2\)/);
          await row.getByRole("button", { name: "Approve" }).click();
          await queue.waitForSelector("text=approved by mod");
          assert.equal(await queue.getByRole("button", { name: "Approve" }).count(), 0, "the queue is empty");

          await page.goto(`${site.base}/papers/${paper.id}`);
          const badge = page.locator(".authors .author", { hasText: "Ada Lovelace" }).locator(".author-badge");
          assert.equal(await badge.getAttribute("href"), "/users/ada");
          assert.equal(await page.locator(".author", { hasText: "Grace Hopper" }).locator(".author-badge").count(), 0);
          assert.match(await page.locator(".authorship").innerText(), /You are listed as Ada Lovelace/);
          assert.deepEqual(await axeViolations(page), [], "paper page with a claimed author");
          await page.goto(`${site.base}/papers/date/2026-08-21`);
          assert.equal(await page.locator("article.card .author-badge").count(), 1, "the card shows the badge");
          assert.deepEqual(refusedByCsp, []);
        } finally {
          await author.context.close();
          await moderator.context.close();
          await site.close();
        }
      }),
    );
  }
});
