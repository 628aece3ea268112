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

test("metrics are off unless switched on or given a port; the render cache is sized in MB", () => {
  assert.deepEqual(loadConfig({}).metrics, { kind: "off" });
  assert.deepEqual(loadConfig({ PAPERBOY_METRICS: "on" }).metrics, { kind: "site" });
  assert.deepEqual(loadConfig({ PAPERBOY_METRICS_PORT: "9464" }).metrics, { kind: "port", port: 9464 });
  assert.deepEqual(loadConfig({}).renderCache, { maxBytes: 64 * 1024 * 1024, checkIntervalMs: 200 });
  assert.deepEqual(loadConfig({ PAPERBOY_RENDER_CACHE_MB: "0", PAPERBOY_RENDER_CACHE_CHECK_MS: "0" }).renderCache, {
    maxBytes: 0,
    checkIntervalMs: 0,
  });
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
