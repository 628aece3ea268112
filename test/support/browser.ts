import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { after, before } from "node:test";
import { AxeBuilder } from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";
import { readJsonLines } from "../../src/ingest/file-source.ts";
import { ingest } from "../../src/ingest/run.ts";
import { DEMO_CORPUS } from "../../src/server/demo.ts";
import type { Store } from "../../src/store/index.ts";
import { testApp } from "./api-app.ts";
import { databaseKinds, type TestDatabase } from "./databases.ts";

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

export interface DemoSite {
  store: Store;
  /** The site's origin, e.g. http://127.0.0.1:40123. */
  base: string;
  browser: Browser;
}

/**
 * Hooks for a describe block: the demo corpus, plus what `prepare` adds, in a fresh SQLite
 * database served on a local port, and one Chromium for all its tests; all closed afterwards.
 */
export function demoSiteInChromium(prepare: (store: Store) => Promise<void>): DemoSite {
  const site = {} as DemoSite;
  let db: TestDatabase | undefined;
  let server: Awaited<ReturnType<typeof serveForBrowser>> | undefined;
  before(async () => {
    const sqlite = databaseKinds.find((k) => k.kind === "sqlite") ?? assert.fail("no SQLite kind");
    db = await sqlite.create();
    site.store = await db.open();
    await ingest(site.store, readJsonLines(DEMO_CORPUS));
    await prepare(site.store);
    server = await serveForBrowser(site.store);
    site.base = server.base;
    site.browser = await launchChromium();
  });
  after(async () => {
    await site.browser?.close();
    await server?.close();
    await site.store?.close();
    await db?.dispose();
  });
  return site;
}
