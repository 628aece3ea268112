import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { RenderCache } from "./render-cache.ts";

/** An app whose pages are `size` bytes and count their renders, behind a render cache at `version`. */
function cachedApp(maxBytes: number, size = 1000) {
  const state = { version: 1, renders: 0 };
  const cache = new RenderCache({
    maxBytes,
    checkIntervalMs: 0,
    version: async () => state.version,
    bump: async () => {},
  });
  const app = new Hono();
  app.use(cache.middleware);
  app.get("/papers/:n", async (c) => {
    state.renders += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return c.text(`${c.req.param("n")} v${state.version} `.padEnd(size, "."));
  });
  return { app, cache, state };
}

const cacheResult = async (app: Hono, path: string) => (await app.request(path)).headers.get("x-render-cache");

test("keeps at most its budget, dropping the least recently used page first", async () => {
  const { app, cache } = cachedApp(5000);
  for (let n = 1; n <= 4; n++) await app.request(`/papers/${n}`);
  assert.equal(await cacheResult(app, "/papers/1"), "hit", "page 1 is now the most recently used");
  for (let n = 5; n <= 6; n++) await app.request(`/papers/${n}`);
  assert.ok(cache.size.bytes <= 5000, `${cache.size.bytes} bytes kept`);
  assert.equal(await cacheResult(app, "/papers/2"), "miss", "the least recently used page went first");
  assert.equal(await cacheResult(app, "/papers/1"), "hit");
  assert.equal(await cacheResult(app, "/papers/6"), "hit");
});

test("renders a page once for readers asking at the same time, and again after the data version moves", async () => {
  const { app, state } = cachedApp(1_000_000);
  const answers = await Promise.all(Array.from({ length: 8 }, () => app.request("/papers/7")));
  assert.equal(state.renders, 1);
  assert.deepEqual(answers.map((r) => r.headers.get("x-render-cache")).sort(), [
    "hit",
    "hit",
    "hit",
    "hit",
    "hit",
    "hit",
    "hit",
    "miss",
  ]);
  state.version = 2;
  const after = await app.request("/papers/7");
  assert.equal(after.headers.get("x-render-cache"), "miss");
  assert.match(await after.text(), /^7 v2/);
  assert.equal(state.renders, 2);
});

test("a version read at most every checkIntervalMs", async () => {
  let reads = 0;
  let now = 0;
  const cache = new RenderCache({
    maxBytes: 1_000_000,
    checkIntervalMs: 200,
    now: () => now,
    version: async () => {
      reads += 1;
      return 1;
    },
    bump: async () => {},
  });
  const app = new Hono();
  app.use(cache.middleware);
  app.get("/", (c) => c.text("home"));
  for (let i = 0; i < 5; i++) await app.request("/");
  assert.equal(reads, 1);
  now += 250;
  await app.request("/");
  assert.equal(reads, 2);
});

test("a signed-in write that succeeded moves the data version, and the writing instance reads it at once", async () => {
  let version = 1;
  let now = 0;
  const cache = new RenderCache({
    maxBytes: 1_000_000,
    checkIntervalMs: 60_000,
    now: () => now,
    version: async () => version,
    bump: async () => {
      version += 1;
    },
  });
  const app = new Hono();
  app.use(cache.middleware);
  let votes = 0;
  app.get("/", (c) => c.text(`${votes} votes`));
  app.post("/vote", (c) => {
    votes += 1;
    return c.redirect("/", 303);
  });
  app.post("/refused", (c) => c.text("no", 403));
  assert.equal(await (await app.request("/")).text(), "0 votes");
  await app.request("/vote", { method: "POST" });
  assert.equal(version, 1, "a write by a reader without a session moves nothing");
  await app.request("/refused", { method: "POST", headers: { Cookie: "paperboy_session=s" } });
  assert.equal(version, 1, "nor does a refused one");
  now += 10;
  await app.request("/vote", { method: "POST", headers: { Cookie: "paperboy_session=s" } });
  assert.equal(version, 2);
  const page = await app.request("/");
  assert.equal(page.headers.get("x-render-cache"), "miss");
  assert.equal(await page.text(), "2 votes");
});

test("keeps images as they are: a client that accepts gzip gets the same bytes", async () => {
  const cache = new RenderCache({
    maxBytes: 1_000_000,
    checkIntervalMs: 0,
    version: async () => 1,
    bump: async () => {},
  });
  const app = new Hono();
  app.use(cache.middleware);
  const png = new Uint8Array(4096).map((_, i) => i % 251);
  app.get("/papers/:file", (c) => c.body(png, 200, { "Content-Type": "image/png" }));
  for (const result of ["miss", "hit"]) {
    const response = await app.request("/papers/2506.00001.png", { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(response.headers.get("x-render-cache"), result);
    assert.equal(response.headers.get("content-encoding"), null);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), png);
  }
});
