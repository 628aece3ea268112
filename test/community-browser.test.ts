import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { newYorkDate } from "../src/calendar/new-york.ts";
import type { PaperRecord } from "../src/papers/record.ts";
import { type FixtureServer, startFixtureServer } from "./support/arxiv-fixture-server.ts";
import { atomEntry, atomResponder } from "./support/arxiv-fixtures.ts";
import { launchChromium, noBrowser } from "./support/browser.ts";
import { clearOfMidnight } from "./support/calendar.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { serveCommunity } from "./support/serve-community.ts";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp.ts";

const feedDay = "2026-08-21";
const voted: PaperRecord = {
  id: "2608.60006",
  title: "Upvoted With a Script",
  abstract: "A paper page.",
  authors: [{ name: "Barbara Liskov" }],
  categories: ["cs.PL"],
  publishedAt: "2026-08-20T17:00:00.000Z",
  upvotes: 3,
  feed: { date: feedDay, source: "hf" },
};
const votedWithoutScript: PaperRecord = { ...voted, id: "2608.60007", title: "Upvoted Without a Script", upvotes: 1 };
const SUBMITTED = "2608.60008";

declare global {
  interface Window {
    __pwned?: string;
  }
}

/** Clicks and waits for the page that answers the form (a new document, even at the same address). */
async function reloaded(page: Page, click: () => Promise<void>): Promise<void> {
  const loaded = page.waitForEvent("load");
  await click();
  await loaded;
  assert.match(page.url(), /#comment-\d+$/);
}

async function assertNoSeriousAxeViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    what,
  );
}

describe("an account's first day, in Chromium", { skip: noBrowser }, () => {
  let browser: Browser;
  let smtp: TestSmtpServer;
  let arxiv: FixtureServer;
  before(async () => {
    [browser, smtp, arxiv] = await Promise.all([
      launchChromium(),
      startSmtpServer(),
      startFixtureServer(
        atomResponder([
          atomEntry({
            id: `${SUBMITTED}v1`,
            published: "2026-08-19T18:00:00Z",
            updated: "2026-08-19T18:00:00Z",
            title: "Submitted From the Site",
            authors: [{ name: "Frances Allen" }],
            primary: "cs.PL",
          }),
        ]),
      ),
    ]);
  });
  after(async () => {
    await browser?.close();
    await smtp?.close();
    await arxiv?.close();
  });

  for (const kind of databaseKinds) {
    test(
      `sign up, verify, upvote with and without JavaScript, comment, reply, edit, submit, on ${kind.kind}`,
      { skip: kind.skip },
      () =>
        withStore(kind, async (store) => {
          await store.papers.upsertBatch([voted, votedWithoutScript]);
          const site = await serveCommunity(store, {
            PAPERBOY_SMTP_URL: smtp.url,
            PAPERBOY_ARXIV_API_URL: `${arxiv.url}/api/query`,
          });
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          try {
            const page = await context.newPage();
            const dialogs: string[] = [];
            page.on("dialog", (dialog) => {
              dialogs.push(dialog.message());
              void dialog.dismiss();
            });
            const refusedByCsp: string[] = [];
            page.on("console", (message) => {
              if (/Content Security Policy/i.test(message.text()))
                refusedByCsp.push(`${page.url()}: ${message.text()}`);
            });
            const email = `tester.${kind.kind}@example.org`;

            await page.goto(`${site.base}/signup`);
            await assertNoSeriousAxeViolations(page, "/signup");
            await page.getByLabel("Username").fill("Tester");
            await page.getByLabel("E-mail address").fill(email);
            await page.getByLabel("Password").fill("a long passphrase");
            await page.getByRole("button", { name: "Sign up" }).click();
            assert.equal(await page.locator("h1").innerText(), "Check your inbox");

            const mail = await smtp.waitFor((m) => (m.to && !Array.isArray(m.to) ? m.to.text : "") === email);
            const link = new RegExp(`${site.base}/verify/\\S+`).exec(mail.text ?? "")?.[0];
            assert.ok(link, `a verification link in:\n${mail.text}`);
            await page.goto(link);
            assert.equal(await page.locator("h1").innerText(), "Address verified");
            assert.match(await page.locator(".account-nav").innerText(), /Tester/);

            // Upvote with JavaScript: the button changes in place.
            await page.goto(`${site.base}/papers/${voted.id}`);
            await assertNoSeriousAxeViolations(page, "paper page, signed in");
            const button = page.locator("#upvotes button");
            assert.equal(await button.getAttribute("aria-pressed"), "false");
            await button.click();
            await page.waitForSelector('#upvotes button[aria-pressed="true"]');
            assert.equal(await page.locator("#upvotes [data-upvote-count]").innerText(), "4");
            assert.equal(new URL(page.url()).pathname, `/papers/${voted.id}`);
            assert.equal((await store.papers.get(voted.id))?.upvotes, 4);

            // Upvote without JavaScript, from a card: the form posts and the page comes back.
            const noScript = await browser.newContext({
              javaScriptEnabled: false,
              storageState: await context.storageState(),
            });
            const plain = await noScript.newPage();
            await plain.goto(`${site.base}/papers/date/${feedDay}`);
            const card = plain.locator("article.card", { hasText: votedWithoutScript.title });
            await card.locator("form.vote-form button").click();
            await plain.waitForURL(`${site.base}/papers/date/${feedDay}`);
            assert.equal(await card.locator("form.vote-form button").getAttribute("aria-pressed"), "true");
            assert.equal(await card.locator("[data-upvote-count]").innerText(), "2");
            await noScript.close();

            // Comment, reply, edit.
            await page.getByLabel("Add a comment").fill("Does the bound in **Theorem 2** hold for $n^2$?");
            await reloaded(page, () => page.getByRole("button", { name: "Comment", exact: true }).click());
            const first = page.locator("ol.comments > li").first();
            assert.match(await first.locator(".comment-body").innerText(), /Does the bound in Theorem 2 hold for/);
            assert.equal(await first.locator(".comment-body strong").innerText(), "Theorem 2");
            assert.equal(await first.locator(".comment-body math").count(), 1);

            await first.locator("summary", { hasText: "Reply" }).first().click();
            await first.getByLabel("Your reply").first().fill("Answering myself: yes.");
            await reloaded(page, () => first.getByRole("button", { name: "Reply", exact: true }).first().click());
            const reply = page.locator("ol.comments ol.comments > li").first();
            assert.match(await reply.locator(".comment-body").innerText(), /Answering myself: yes\./);

            const again = page.locator("ol.comments > li").first();
            await again.locator("> .comment-actions summary", { hasText: "Edit" }).click();
            await again.locator("> .comment-actions").getByLabel("Your comment").fill("Does the bound hold for $n^3$?");
            await reloaded(page, () =>
              again.locator("> .comment-actions").getByRole("button", { name: "Save" }).click(),
            );
            const edited = page.locator("ol.comments > li").first();
            assert.match(await edited.locator("> .comment-head").innerText(), /edited/);
            assert.match(await edited.locator("> .comment-body").innerText(), /Does the bound hold for/);

            // Hostile text stays text.
            await page
              .getByLabel("Add a comment")
              .fill(`<img src=x onerror="window.__pwned='img'"> [x](javascript:window.__pwned='link')`);
            await reloaded(page, () => page.getByRole("button", { name: "Comment", exact: true }).click());
            await page
              .locator("ol.comments > li")
              .last()
              .locator("a")
              .first()
              .click()
              .catch(() => undefined);
            assert.equal(await page.evaluate(() => window.__pwned), undefined);

            // Submit a paper arXiv has and this site does not.
            await page.goto(`${site.base}/submit`);
            await assertNoSeriousAxeViolations(page, "/submit");
            await page.getByLabel("arXiv id or link").fill(`https://arxiv.org/abs/${SUBMITTED}`);
            await clearOfMidnight(30_000);
            await page.getByRole("button", { name: "Submit" }).click();
            assert.equal(await page.locator("h1").innerText(), "Submitted");
            const today = newYorkDate(new Date());
            await page.locator(`a[href="/papers/date/${today}"]`).click();
            const submitted = page.locator("article.card", { hasText: "Submitted From the Site" });
            assert.match(await submitted.innerText(), /Submitted by Tester/);

            await page.goto(`${site.base}/settings`);
            await assertNoSeriousAxeViolations(page, "/settings");
            await page.getByLabel("Display name").fill(`<img src=x onerror="window.__pwned='name'">Tester`);
            await page.getByRole("button", { name: "Save profile" }).click();
            await page.goto(`${site.base}/papers/${voted.id}`);
            const head = page.locator("ol.comments > li").first().locator("> .comment-head");
            assert.match(await head.innerText(), /<img src=x/);
            assert.equal(await page.evaluate(() => window.__pwned), undefined);
            assert.deepEqual(dialogs, []);
            assert.deepEqual(refusedByCsp, [], "the pages and their scripts keep to the Content-Security-Policy");
          } finally {
            await context.close();
            await site.close();
          }
        }),
    );
  }
});
