import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../src/config/index.ts";
import { digestPeriod } from "../src/inbox/digest.ts";
import { openInbox } from "../src/server/inbox.ts";
import { createLogger } from "../src/server/logger.ts";
import { demoSiteInChromium, noBrowser } from "./support/browser.ts";
import { ingestSiteRecords } from "./support/site-fixtures.ts";

describe("the Content-Security-Policy in Chromium", { skip: noBrowser }, () => {
  const site = demoSiteInChromium(ingestSiteRecords);

  it("blocks nothing the site itself uses: feeds, formulas, search, the API docs", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(`${page.url()}: ${message.text()}`);
    });
    try {
      for (const path of ["/", "/papers/hep-th/9901001", "/search?q=attention", "/papers/trending"]) {
        const response = await page.goto(`${site.base}${path}`);
        assert.match(response?.headers()["content-security-policy"] ?? "", /default-src 'self'/, path);
        await page.waitForLoadState("load");
        if (path.startsWith("/papers/hep-th")) assert.ok(await page.locator(".katex").count(), "formulas rendered");
      }
      await page.goto(`${site.base}/docs`);
      await page.locator(".swagger-ui .opblock").first().waitFor({ timeout: 15_000 });
      assert.deepEqual(refused, []);
    } finally {
      await context.close();
    }
  });

  it("lets this site's own forms through: subscribe from the home page, confirm, switch to weekly, unsubscribe", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${site.base}/`);
      const form = page.locator("form.subscribe-form").first();
      await form.locator('input[type="email"]').fill("chromium@example.org");
      await Promise.all([page.waitForURL(`${site.base}/subscribe`), form.locator("button").click()]);
      assert.match(await page.locator("h1").innerText(), /Check your inbox/);

      const { text_body: text } = await site.store.connection.db
        .selectFrom("outbox")
        .select("text_body")
        .where("recipient", "=", "chromium@example.org")
        .executeTakeFirstOrThrow();
      const confirm = new URL(/https?:\/\/\S+\/subscriptions\/confirm\?token=\S+/.exec(text)?.[0] ?? assert.fail(text));
      await page.goto(`${site.base}${confirm.pathname}${confirm.search}`);
      await Promise.all([
        page.waitForLoadState("load"),
        page.getByRole("button", { name: "Confirm my subscription" }).click(),
      ]);
      assert.match(await page.locator("h1").innerText(), /You are subscribed/);

      const subscriber = await site.store.subscribers.findByEmail("chromium@example.org");
      const { inbox } = openInbox(
        site.store,
        loadConfig({ PAPERBOY_LOG_LEVEL: "silent" }),
        createLogger({ logLevel: "silent" }),
      );
      const mail = await inbox.digestMail(
        { period: digestPeriod("daily", "2026-08-21"), sections: [] },
        subscriber ?? assert.fail("no subscriber"),
      );
      const manage = new URL(
        /<(http[^>]+)>/.exec(mail.headers["List-Unsubscribe"] ?? "")?.[1] ?? assert.fail("no link"),
      );
      await page.goto(`${site.base}${manage.pathname}${manage.search}`);
      await page.getByRole("button", { name: "Switch to the weekly digest" }).click();
      await page.getByText("chromium@example.org gets the weekly digest.").waitFor();
      await page.getByRole("button", { name: "Unsubscribe" }).click();
      await page.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
      assert.equal((await site.store.subscribers.findByEmail("chromium@example.org"))?.status, "unsubscribed");
    } finally {
      await context.close();
    }
  });
});
