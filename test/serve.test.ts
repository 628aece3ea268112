import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { after, describe, test } from "node:test";
import { startCli } from "./support/cli.ts";
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
      const logs: Record<string, unknown>[] = [];
      let buffered = "";
      const listening = new Promise<{ url: string; metrics: string }>((resolve, reject) => {
        child.stdout?.on("data", (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) {
            const entry = JSON.parse(line) as Record<string, unknown>;
            logs.push(entry);
            if (entry.msg === "paperboy is listening")
              resolve({ url: String(entry.url), metrics: String(entry.metrics) });
          }
        });
        child.on("exit", (code) => reject(new Error(`serve exited early with ${code}`)));
      });
      const { url, metrics } = await listening;

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
        let buffered = "";
        const metrics = await new Promise<string>((resolve, reject) => {
          child.stdout?.on("data", (chunk: Buffer) => {
            buffered += chunk.toString();
            const lines = buffered.split("\n");
            buffered = lines.pop() ?? "";
            for (const line of lines) {
              const entry = JSON.parse(line) as Record<string, unknown>;
              if (entry.msg === "paperboy worker started") resolve(String(entry.metrics));
            }
          });
          child.on("exit", (code) => reject(new Error(`worker exited early with ${code}`)));
        });
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
