import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { AxeBuilder } from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";
import type { Store } from "../../src/store/index.ts";
import { testApp } from "./api-app.ts";

const chromiumPath = process.env.PAPERBOY_CHROMIUM ?? "/usr/bin/chromium";

/** Why the page tests cannot run here (no Chromium); undefined when they can. CI must run them. */
export const noBrowser = fs.existsSync(chromiumPath)
  ? undefined
  : `no Chromium at ${chromiumPath} (set PAPERBOY_CHROMIUM)`;
if (noBrowser && process.env.CI) throw new Error(`CI must run the browser tests: ${noBrowser}`);

/** Debian's Chromium, headless, with nothing that reaches the network or needs a GPU. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** The whole app over a test store on a free local port, for a browser to visit. */
export async function serveForBrowser(store: Store): Promise<{ base: string; close(): Promise<void> }> {
  const app = testApp(store);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs axe on each page in light and dark and fails with the serious or critical violations
 * found, naming the page, the colour scheme and the offending elements.
 */
export async function assertAccessible(browser: Browser, base: string, pagePaths: string[]): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    for (const pagePath of pagePaths) {
      await page.goto(`${base}${pagePath}`);
      const results = await new AxeBuilder({ page }).analyze();
      assert.ok(results.passes.length > 0, "axe ran its checks");
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
        [],
        `${pagePath} (${colorScheme})`,
      );
    }
    await context.close();
  }
}
