/**
 * Page and API response times as ratios to `/healthz` (a one-row count) answered by the same
 * in-process app in the same run: a feed day, week and month (a month is ranked among its own
 * entries), the whole-archive API feed (walked along an index), deep pages, a big category, an
 * author, a paper. A ratio that grows with the corpus means a page sorts or counts too much.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, parseDatabaseUrl } from "../src/config/index.ts";
import { ingest } from "../src/ingest/run.ts";
import { queryEmbedderFor } from "../src/search/query-embedder.ts";
import { createApp } from "../src/server/app.ts";
import { createLogger } from "../src/server/logger.ts";
import { Store } from "../src/store/index.ts";
import { firstPapers } from "./search-latency.ts";

const ROUNDS = 15;

async function medianMs(request: () => Promise<Response>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    // Round 0 warms caches and is not counted.
    if (round > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const PAGE_SIZE = 50;
/** The page halfway through a list of `total` papers. */
const middlePage = (total: number) => Math.max(1, Math.ceil(total / PAGE_SIZE / 2));

/** Representative URLs for what the store holds: its busiest day of the newest month, a big category, an author. */
async function representativePaths(store: Store): Promise<string[]> {
  const newest = await store.feed.latestDay();
  if (!newest) throw new Error("the benchmark corpus has no feed");
  const month = newest.slice(0, 7);
  const { days } = await store.listings.calendar(`${month}-01`, `${month}-31`);
  const busiest = days.reduce((a, b) => (b.papers > a.papers ? b : a));
  const monthTotal = days.reduce((sum, d) => sum + d.papers, 0);
  const { papers, total } = await store.listings.trending({ limit: 1, offset: 0 });
  const paper = papers[0];
  if (!paper) throw new Error("the benchmark corpus has no papers");
  const category = paper.categories[0] ?? "cs.LG";
  const inCategory = (await store.listings.byCategory(category, { limit: 1, offset: 0 })).total;
  const author = encodeURIComponent(paper.authors[0]?.name ?? "");
  const apiDeep = Math.floor(total / PAGE_SIZE / 2);
  return [
    "/",
    `/papers/date/${busiest.day}?page=${middlePage(busiest.papers)}`,
    `/papers/month/${month}`,
    `/papers/month/${month}?sort=date&page=${middlePage(monthTotal)}`,
    `/papers/trending?page=${middlePage(total)}`,
    `/categories/${category}`,
    `/categories/${category}?page=${middlePage(inCategory)}`,
    `/authors/${author}`,
    `/papers/${paper.id}`,
    `/papers/${paper.id}.bib`,
    `/api/daily_papers?date=${busiest.day}`,
    "/api/daily_papers",
    `/api/daily_papers?p=${apiDeep}`,
    `/api/daily_papers?sort=trending&p=${apiDeep}`,
    "/api/papers?limit=100",
    `/api/papers/${paper.id}`,
  ];
}

async function benchStore(label: string, url: string, papers: number): Promise<void> {
  const store = await Store.open(parseDatabaseUrl(url));
  try {
    await ingest(store, firstPapers(papers));
    await store.analyze();
    const config = loadConfig({ PAPERBOY_LOG_LEVEL: "silent", PAPERBOY_DEMO: "off", PAPERBOY_API_RATE_LIMIT: "0" });
    const app = createApp({ store, config, logger: createLogger(config), embedder: queryEmbedderFor(config.embedder) });
    const get = (path: string) => async () => {
      const response = await app.request(path);
      if (response.status !== 200) throw new Error(`${label} ${path} answered ${response.status}`);
      return response;
    };
    const baseline = await medianMs(get("/healthz"));
    console.log(`pages and APIs, ${label}, ${papers.toLocaleString("en-US")} papers (median ms; ratio to /healthz)`);
    console.log(`  baseline: /healthz${" ".repeat(48)}${baseline.toFixed(2).padStart(8)}`);
    for (const path of await representativePaths(store)) {
      const ms = await medianMs(get(path));
      console.log(`  ${path.padEnd(64)}${ms.toFixed(2).padStart(8)}  ${(ms / baseline).toFixed(1).padStart(6)}x`);
    }
  } finally {
    await store.close();
  }
}

/** On a new SQLite file, and on PostgreSQL when given an empty database there. */
export async function benchPages(papers: number, postgresUrl?: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-bench-pages-"));
  try {
    await benchStore("SQLite", `sqlite:${path.join(dir, "pages.db")}`, papers);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (postgresUrl) await benchStore("PostgreSQL", postgresUrl, papers);
}
