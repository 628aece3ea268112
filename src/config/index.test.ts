import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { ConfigError, loadConfig, settings } from "./index.ts";

test("defaults give the embedded SQLite database under ./data on port 3000 with the demo", () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.deepEqual(config.database, { kind: "sqlite", path: path.resolve("data/paperboy.db") });
  assert.equal(config.demo, true);
  assert.equal(config.baseUrl, "http://localhost:3000");
});

test("reads PostgreSQL URLs, switches and levels", () => {
  const config = loadConfig({
    DATABASE_URL: "postgres://paperboy:secret@db:5432/paperboy",
    PAPERBOY_DEMO: "off",
    PAPERBOY_LOG_LEVEL: "DEBUG",
    PAPERBOY_BASE_URL: "https://papers.example.org/",
    PORT: "8080",
  });
  assert.deepEqual(config.database, { kind: "postgres", url: "postgres://paperboy:secret@db:5432/paperboy" });
  assert.equal(config.demo, false);
  assert.equal(config.logLevel, "debug");
  assert.equal(config.baseUrl, "https://papers.example.org");
  assert.equal(config.port, 8080);
});

test("metrics are off unless switched on or given a port; the render and search caches are sized in MB", () => {
  assert.deepEqual(loadConfig({}).metrics, { kind: "off" });
  assert.deepEqual(loadConfig({ PAPERBOY_METRICS: "on" }).metrics, { kind: "site" });
  assert.deepEqual(loadConfig({ PAPERBOY_METRICS_PORT: "9464" }).metrics, { kind: "port", port: 9464 });
  assert.deepEqual(loadConfig({}).renderCache, { maxBytes: 64 * 1024 * 1024, checkIntervalMs: 200 });
  assert.equal(loadConfig({}).searchCacheBytes, 256 * 1024 * 1024);
  assert.equal(loadConfig({ PAPERBOY_SEARCH_CACHE_MB: "16" }).searchCacheBytes, 16 * 1024 * 1024);
  assert.deepEqual(loadConfig({ PAPERBOY_RENDER_CACHE_MB: "0", PAPERBOY_RENDER_CACHE_CHECK_MS: "0" }).renderCache, {
    maxBytes: 0,
    checkIntervalMs: 0,
  });
});

test("the worker runs every configured job; harvest-hf only with a feed URL", () => {
  assert.deepEqual(loadConfig({}).worker.jobs, ["harvest-arxiv", "digest-daily", "digest-weekly", "mail"]);
  const config = loadConfig({
    PAPERBOY_HF_DAILY_URL: "https://huggingface.co/api/daily_papers",
    PAPERBOY_TIMEZONE: "Europe/Berlin",
    PAPERBOY_ARXIV_SETS: "cs, stat,cs",
  });
  assert.deepEqual(config.worker.jobs, ["harvest-arxiv", "harvest-hf", "digest-daily", "digest-weekly", "mail"]);
  assert.equal(config.worker.timezone, "Europe/Berlin");
  assert.deepEqual(config.worker.arxiv.sets, ["cs", "stat"]);
  assert.deepEqual(loadConfig({ PAPERBOY_WORKER_JOBS: "mail, harvest-arxiv" }).worker.jobs, ["harvest-arxiv", "mail"]);
});

test("reads trusted proxies and MCP origins as lists", () => {
  const config = loadConfig({
    PAPERBOY_TRUST_PROXY: " 127.0.0.1, ::1 ,10.0.0.0/8,fd00::/8",
    PAPERBOY_MCP_ORIGINS: "http://localhost:6274/",
  });
  assert.deepEqual(config.trustProxy, ["127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8"]);
  assert.deepEqual(config.mcpOrigins, ["http://localhost:6274"]);
  assert.deepEqual(loadConfig({}).trustProxy, []);
});

test("a bad value is named, with what would be right, and passwords stay hidden", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: "eighty" }, /PORT "eighty" must be a whole number from 0 to 65535/],
    [{ PORT: "70000" }, /PORT "70000"/],
    [
      { DATABASE_URL: "mysql://root:hunter2@x/db" },
      /DATABASE_URL "mysql:\/\/root:\*\*\*@x\/db" is not supported: use sqlite:PATH/,
    ],
    [{ DATABASE_URL: "sqlite:" }, /names no file/],
    [{ PAPERBOY_DEMO: "maybe" }, /PAPERBOY_DEMO "maybe" must be on or off/],
    [{ PAPERBOY_LOG_LEVEL: "loud" }, /PAPERBOY_LOG_LEVEL "loud" must be one of/],
    [{ PAPERBOY_BASE_URL: "papers.example.org" }, /PAPERBOY_BASE_URL "papers.example.org" is not an absolute URL/],
    [{ PAPERBOY_METRICS: "yes please" }, /PAPERBOY_METRICS "yes please" must be on or off/],
    [{ PAPERBOY_METRICS_PORT: "0" }, /PAPERBOY_METRICS_PORT "0" must be a port/],
    [{ PAPERBOY_RENDER_CACHE_MB: "-1" }, /PAPERBOY_RENDER_CACHE_MB "-1" must be a whole number/],
    [{ PAPERBOY_TIMEZONE: "Mars/Olympus" }, /PAPERBOY_TIMEZONE "Mars\/Olympus" is not a time zone/],
    [{ PAPERBOY_DIGEST_DAILY_SCHEDULE: "7am" }, /PAPERBOY_DIGEST_DAILY_SCHEDULE "7am" is not a cron schedule/],
    [{ PAPERBOY_WORKER_JOBS: "harvest-arxiv,dishes" }, /"dishes" is not a job/],
    [{ PAPERBOY_WORKER_JOBS: "harvest-hf" }, /harvest-hf, which needs PAPERBOY_HF_DAILY_URL/],
    [{ PAPERBOY_WORKER_LEASE_SECONDS: "0" }, /PAPERBOY_WORKER_LEASE_SECONDS "0" must be/],
    [{ PAPERBOY_ARXIV_SETS: "cs, a b" }, /PAPERBOY_ARXIV_SETS: "a b" is not an OAI set/],
    [{ PAPERBOY_SECRET: "short" }, /PAPERBOY_SECRET must be at least 16 characters/],
    [{ PAPERBOY_TRUST_PROXY: "127.0.0.1, proxy.local" }, /PAPERBOY_TRUST_PROXY "proxy.local" is not an IP address/],
    [{ PAPERBOY_TRUST_PROXY: "10.0.0.0/33" }, /PAPERBOY_TRUST_PROXY "10.0.0.0\/33"/],
    [
      { PAPERBOY_MCP_ORIGINS: "https://app.example.org/path" },
      /PAPERBOY_MCP_ORIGINS "https:\/\/app.example.org\/path" is not an origin/,
    ],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
    );
  }
});

test("the README documents every setting", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  for (const setting of settings) assert.ok(readme.includes(`| \`${setting.name}\` |`), `${setting.name} in README`);
});
