import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { logUntil, startCli, startInstalledCli } from "./support/cli.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";

const NEWEST_DEMO_DAY = "2026-08-21";

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

for (const kind of databaseKinds) {
  describe(`paperboy serve on ${kind.kind}`, { skip: kind.skip }, () => {
    let db: TestDatabase | undefined;
    after(() => db?.dispose());

    test("fills an empty database with the demo, serves the newest day, and stops cleanly on SIGTERM", async () => {
      db = await kind.create();
      const child = startCli(["serve", "--port", "0"], {
        DATABASE_URL: db.url,
        HOST: "127.0.0.1",
        PAPERBOY_LOG_LEVEL: "info",
        PAPERBOY_METRICS_PORT: String(await freePort()),
      });
      const { logs, seen } = logUntil(child, "paperboy is listening");
      const listening = await seen;
      const url = String(listening.url);
      const metrics = String(listening.metrics);

      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      const status = (await health.json()) as { status: string; papers: number };
      assert.equal(status.status, "ok");
      assert.ok(status.papers > 1000, `demo corpus loaded (${status.papers} papers)`);

      const api = await fetch(`${url}/api/daily_papers?date=${NEWEST_DEMO_DAY}`);
      assert.equal(api.status, 200);
      const items = (await api.json()) as { paper: { id: string; upvotes: number }; title: string }[];
      assert.ok(items.length >= 10, `${items.length} papers on ${NEWEST_DEMO_DAY}`);
      assert.ok(items.every((item) => item.paper.id && item.title));

      const home = await fetch(`${url}/`);
      assert.equal(home.status, 200);
      const html = await home.text();
      const firstTitle = items[0]?.title ?? "";
      assert.ok(
        html.includes(firstTitle.replaceAll("&", "&amp;").slice(0, 30)),
        "home lists the top paper of the newest day",
      );

      const embedded = logs.find((entry) => entry.msg === "demo corpus embedded");
      assert.ok(Number(embedded?.papers) > 1000, "the demo corpus gets vectors at start");
      const paperPage = await (await fetch(`${url}/papers/${items[0]?.paper.id}`)).text();
      assert.match(paperPage, /<section id="similar-papers" aria-labelledby="similar-heading">/);
      const results = await (await fetch(`${url}/search?q=${encodeURIComponent("teaching robots to grasp")}`)).text();
      assert.match(results, /matched by both words and meaning/);

      // Metrics on their own port, not on the site's.
      const scraped = await fetch(metrics);
      assert.equal(scraped.status, 200);
      assert.match(
        await scraped.text(),
        /paperboy_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
      );
      assert.equal((await fetch(`${url}/metrics`)).status, 404);

      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      assert.equal(code, 0);
      assert.ok(logs.some((entry) => entry.msg === "stopped"));
    });

    test("a worker serves its metrics, the outbox and job queues among them, on a port of its own", async () => {
      const workerDb = await kind.create();
      try {
        const child = startCli(["worker"], {
          DATABASE_URL: workerDb.url,
          HOST: "127.0.0.1",
          PAPERBOY_LOG_LEVEL: "info",
          PAPERBOY_WORKER_JOBS: "mail",
          PAPERBOY_MAIL_SCHEDULE: "0 0 1 1 *",
          PAPERBOY_METRICS_PORT: String(await freePort()),
        });
        const metrics = String((await logUntil(child, "paperboy worker started").seen).metrics);
        const text = await (await fetch(metrics)).text();
        assert.match(text, /paperboy_outbox_mails\{state="due"\} 0\n/);
        assert.match(text, /# HELP paperboy_job_running /);
        assert.match(text, /paperboy_db_pool_connections\{state="total"\} \d+/);
        child.kill("SIGTERM");
        const [code] = await once(child, "exit");
        assert.equal(code, 0);
      } finally {
        await workerDb.dispose();
      }
    });
  });
}

test("the installed command serves pages when started from another directory", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-elsewhere-"));
  try {
    const child = startInstalledCli(
      ["serve", "--port", "0"],
      {
        DATABASE_URL: `sqlite:${path.join(dir, "paperboy.db")}`,
        HOST: "127.0.0.1",
        PAPERBOY_LOG_LEVEL: "info",
        PAPERBOY_DEMO: "off",
      },
      dir,
    );
    const url = String((await logUntil(child, "paperboy is listening").seen).url);
    for (const page of ["/", "/search?q=diffusion"]) {
      const response = await fetch(`${url}${page}`);
      const html = await response.text();
      assert.equal(response.status, 200, `${page}: ${html}`);
      assert.match(html, /<title>/);
    }
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
