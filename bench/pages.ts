/**
 * The site as readers get it from `paperboy serve` (a child process, as an operator runs it):
 * - requests a second under load (autocannon, 32 connections) for the feed, paper pages, search
 *   and the Hugging Face feed API, each against /healthz (one indexed count) on the same process;
 * - the render time of representative pages, deep ones included, with a cookie so the render
 *   cache is bypassed (a ratio that grows with the corpus means a page sorts or counts too much);
 * - cold start to the first page served, against the bare start of the same Node.js process;
 * - resident memory when idle after start and at its peak under load.
 */
import { once } from "node:events";
import { createServer } from "node:net";
import autocannon from "autocannon";
import type { Store } from "../src/store/index.ts";
import { memoryOf, runPaperboy, startPaperboy } from "./processes.ts";
import { quantile, type Report } from "./report.ts";

const PAGE_SIZE = 50;
const CONNECTIONS = 32;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

interface Served {
  url: string;
  coldStartMs: number;
  idleRssBytes: number;
  memory: () => { peak: number; current: number };
  stop: () => Promise<void>;
}

/** Starts `paperboy serve` on the database and waits for its first page. */
export async function serve(url: string): Promise<Served> {
  const port = await freePort();
  const started = performance.now();
  const child = startPaperboy(["serve", "--port", String(port)], {
    DATABASE_URL: url,
    HOST: "127.0.0.1",
    PAPERBOY_DEMO: "off",
    PAPERBOY_LOG_LEVEL: "warn",
    PAPERBOY_API_RATE_LIMIT: "0",
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`paperboy serve exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const response = await fetch(`${base}/`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const coldStartMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    url: base,
    coldStartMs,
    idleRssBytes: memoryOf(child.pid).current,
    memory: () => memoryOf(child.pid),
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** How long the same Node.js process takes to start and exit without serving: `paperboy --help`. */
export async function bareStartMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push((await runPaperboy(["serve", "--help"], {})).seconds * 1000);
  return quantile(times, 0.5);
}

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
}

/**
 * Requests a second for `paths` (taken in turn), 32 connections, for `seconds`, after each path
 * was asked for once: what readers get once pages have been read, and nothing left over from the
 * previous measurement in the server's queue.
 */
async function load(
  base: string,
  paths: string[],
  seconds: number,
  headers: Record<string, string> = {},
): Promise<Load> {
  for (const path of paths) await (await fetch(`${base}${path}`, { headers })).arrayBuffer();
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { "accept-encoding": "gzip", ...headers },
    requests: [
      {
        setupRequest: (request) => {
          request.path = paths[next++ % paths.length] ?? "/";
          return request;
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** The paths to load: the feed, paper pages and searches in turn, the HF API. */
async function loadPaths(store: Store, topics: string[]) {
  const { papers } = await store.listings.trending({ limit: 100, offset: 0 });
  return {
    feed: ["/"],
    paper: papers.map((p) => `/papers/${p.id}`),
    search: topics.map((q) => `/search?q=${encodeURIComponent(q)}`),
    api: ["/api/daily_papers"],
  };
}

/** A representative URL set for what the store holds: its busiest day, the newest month, deep pages, a big category, an author. */
async function representativePaths(store: Store): Promise<string[]> {
  const newest = await store.feed.latestDay();
  if (!newest) throw new Error("the benchmark corpus has no feed");
  const month = newest.slice(0, 7);
  const { days } = await store.listings.calendar(`${month}-01`, `${month}-31`);
  const busiest = days.reduce((a, b) => (b.papers > a.papers ? b : a));
  const monthTotal = days.reduce((sum, d) => sum + d.papers, 0);
  const middle = (total: number) => Math.max(1, Math.ceil(total / PAGE_SIZE / 2));
  const { papers, total } = await store.listings.trending({ limit: 1, offset: 0 });
  const paper = papers[0];
  if (!paper) throw new Error("the benchmark corpus has no papers");
  const category = paper.categories[0] ?? "cs.LG";
  const inCategory = (await store.listings.byCategory(category, { limit: 1, offset: 0 })).total;
  const author = encodeURIComponent(paper.authors[0]?.name ?? "");
  return [
    "/",
    `/papers/date/${busiest.day}?page=${middle(busiest.papers)}`,
    `/papers/month/${month}`,
    `/papers/month/${month}?sort=date&page=${middle(monthTotal)}`,
    `/papers/trending?page=${middle(total)}`,
    "/categories",
    `/categories/${category}`,
    `/categories/${category}?page=${middle(inCategory)}`,
    `/authors/${author}`,
    `/papers/${paper.id}`,
    `/api/daily_papers?date=${busiest.day}`,
    "/api/daily_papers",
    `/api/daily_papers?p=${Math.floor(total / PAGE_SIZE / 2)}`,
    "/api/papers?limit=100",
  ];
}

async function medianMs(url: string, rounds: number, headers: Record<string, string>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    // Round 0 warms caches and is not counted.
    if (round > 0) times.push(performance.now() - started);
  }
  return quantile(times, 0.5);
}

export async function benchPages(
  report: Report,
  store: Store,
  url: string,
  options: { seconds: number; rounds: number; topics: string[] },
): Promise<void> {
  const bare = await bareStartMs();
  const served = await serve(url);
  try {
    report.lower(
      "serve",
      "cold start to the first page",
      served.coldStartMs,
      "ms",
      {
        name: "start and exit of the same process (serve --help)",
        value: bare,
      },
      undefined,
      "goal: under 5 s at 2.8M papers",
    );
    const paths = await loadPaths(store, options.topics);
    const healthz = await load(served.url, ["/healthz"], options.seconds);
    const baseline = { name: "/healthz", value: healthz.requestsPerSecond };
    // Each shared page twice: as an anonymous reader gets it (from the render cache), and with a
    // cookie, as a signed-in reader does (rendered every time): the render cache's before and after.
    const bypass = { cookie: "bench=1" };
    const rows: [string, string[], number | undefined, Record<string, string>][] = [
      ["feed / (anonymous)", paths.feed, 0.5, {}],
      ["feed / (cookie: rendered each time)", paths.feed, undefined, bypass],
      ["paper pages, 100 in turn (anonymous)", paths.paper, undefined, {}],
      ["paper pages, 100 in turn (cookie)", paths.paper, undefined, bypass],
      ["search pages (topic queries in turn)", paths.search, undefined, {}],
      ["HF API /api/daily_papers (anonymous)", paths.api, undefined, {}],
      ["HF API /api/daily_papers (cookie)", paths.api, undefined, bypass],
    ];
    for (const [name, list, goal, headers] of rows) {
      const result = await load(served.url, list, options.seconds, headers);
      report.higher(
        "requests/s, 32 connections",
        name,
        result.requestsPerSecond,
        "req/s",
        baseline,
        goal,
        `p99 ${result.p99Ms} ms${result.errors ? `, ${result.errors} errors or non-2xx` : ""}`,
      );
    }
    const peak = served.memory().peak;
    report.lower(
      "memory",
      "serve, peak resident (after the load above)",
      peak,
      "bytes",
      {
        name: "idle after start",
        value: served.idleRssBytes,
      },
      undefined,
      "goal: under 1 GiB at 2.8M papers",
    );

    // Render times, the cache bypassed by a cookie.
    const health = await medianMs(`${served.url}/healthz`, options.rounds, bypass);
    for (const path of await representativePaths(store)) {
      const ms = await medianMs(`${served.url}${path}`, options.rounds, bypass);
      report.lower("render (no cache), median", path, ms, "ms", { name: "/healthz", value: health });
    }
  } finally {
    await served.stop();
  }
}
