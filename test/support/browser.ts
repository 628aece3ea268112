import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before } from "node:test";
import { AxeBuilder } from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { readJsonLines } from "../../src/ingest/file-source.ts";
import { ingest } from "../../src/ingest/run.ts";
import { DEMO_CORPUS } from "../../src/server/demo.ts";
import type { Store } from "../../src/store/index.ts";
import { testApp } from "./api-app.ts";
import { repoRoot } from "./cli.ts";
import { databaseKinds, type TestDatabase } from "./databases.ts";

export const chromiumPath = process.env.PAPERBOY_CHROMIUM ?? "/usr/bin/chromium";

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

/**
 * Where page tests save screenshots, made if need be: tmp/screenshots, which git ignores, so a test
 * run leaves the tree as it was. The README's screenshots (`readme`) go to docs/screenshots only
 * when PAPERBOY_REFRESH_SCREENSHOTS=1 asks for them (`npm run screenshots`).
 */
export function screenshotDir(options: { readme?: boolean } = {}): string {
  const refresh = options.readme && process.env.PAPERBOY_REFRESH_SCREENSHOTS === "1";
  const dir = path.join(repoRoot, refresh ? "docs/screenshots" : "tmp/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
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

/** The screens the site is checked on: a phone and a laptop. */
export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
} as const;
export type Viewport = (typeof viewports)[keyof typeof viewports];

/**
 * Serious or critical axe violations on the page as it is, as "rule: elements" lines. Swagger UI,
 * which /docs embeds from its npm package, is not ours to fix and is left out.
 */
export async function axeViolations(page: Page, options: { rules?: string[] } = {}): Promise<string[]> {
  const builder = new AxeBuilder({ page }).exclude("#swagger-ui");
  if (options.rules) builder.withRules(options.rules);
  const results = await builder.analyze();
  assert.ok(results.passes.length > 0, "axe ran its checks");
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Runs axe on each page in light and dark and fails with the serious or critical violations
 * found, naming the page, the colour scheme and the offending elements.
 */
export async function assertAccessible(
  browser: Browser,
  base: string,
  pagePaths: string[],
  sizes: Viewport[] = [viewports.desktop],
): Promise<void> {
  for (const viewport of sizes) {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport, colorScheme });
      const page = await context.newPage();
      for (const pagePath of pagePaths) {
        await page.goto(`${base}${pagePath}`);
        assert.deepEqual(await axeViolations(page), [], `${pagePath} (${colorScheme}, ${viewport.width} px)`);
      }
      await context.close();
    }
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
  return demoSite(prepare, { browser: true }) as DemoSite;
}

/** As demoSiteInChromium, without a Playwright browser (for tools that start their own). */
export function demoSite(
  prepare: (store: Store) => Promise<void>,
  options: { browser: boolean } = { browser: false },
): Omit<DemoSite, "browser"> & { browser?: Browser } {
  const site = {} as Omit<DemoSite, "browser"> & { browser?: Browser };
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
    if (options.browser) site.browser = await launchChromium();
  });
  after(async () => {
    await site.browser?.close();
    await server?.close();
    await site.store?.close();
    await db?.dispose();
  });
  return site;
}
