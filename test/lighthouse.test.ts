import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import lighthouse from "lighthouse";
import { chromiumPath, demoSite, noBrowser } from "./support/browser.ts";
import { ingestSiteRecords } from "./support/site-fixtures.ts";

const LEAST_SCORE = 0.95;
const categories = ["performance", "accessibility", "best-practices", "seo"];

/** Debian's Chromium with a DevTools port for Lighthouse, which drives a browser of its own. */
async function debuggableChromium(): Promise<{ port: number; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-lighthouse-"));
  const chrome: ChildProcess = spawn(
    chromiumPath,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let said = "";
    chrome.stderr?.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      const listening = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(said);
      if (listening) resolve(Number(listening[1]));
    });
    chrome.on("exit", (code) => reject(new Error(`Chromium exited (${code}) before listening: ${said}`)));
  });
  const exited = new Promise((resolve) => chrome.on("exit", resolve));
  return {
    port,
    async close() {
      chrome.kill();
      await exited;
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

describe("Lighthouse with mobile settings", { skip: noBrowser }, () => {
  const site = demoSite(ingestSiteRecords);
  let chrome: Awaited<ReturnType<typeof debuggableChromium>> | undefined;
  before(async () => {
    chrome = await debuggableChromium();
  });
  after(() => chrome?.close());

  it(`scores at least ${LEAST_SCORE} in every category on home, a paper and search`, async () => {
    const port = chrome?.port ?? assert.fail("no Chromium");
    for (const pagePath of ["/", "/papers/2608.19880", "/search?q=diffusion"]) {
      // Lighthouse's default configuration is a phone on a throttled network (simulated).
      const result = await lighthouse(`${site.base}${pagePath}`, {
        port,
        logLevel: "error",
        output: "json",
        onlyCategories: categories,
      });
      const report = result?.lhr ?? assert.fail(`no Lighthouse report for ${pagePath}`);
      const scores = Object.fromEntries(categories.map((c) => [c, report.categories[c]?.score ?? 0]));
      const failing = Object.values(report.audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
        .map((a) => a.id);
      for (const category of categories) {
        assert.ok(
          (scores[category] ?? 0) >= LEAST_SCORE,
          `${pagePath}: ${category} ${scores[category]} (failing audits: ${failing.join(", ")})`,
        );
      }
    }
  });
});
