import assert from "node:assert/strict";
import { describe, it } from "node:test";
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
});
