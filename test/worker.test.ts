import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { newYorkDate } from "../src/calendar/new-york.ts";
import { addDays } from "../src/calendar/periods.ts";
import { loadConfig, type WorkerJobName } from "../src/config/index.ts";
import { ARXIV_HARVESTED_KEY } from "../src/jobs/harvest-arxiv.ts";
import { HF_HARVESTED_KEY } from "../src/jobs/harvest-hf.ts";
import { runJobOnce } from "../src/server/worker.ts";
import { startFixtureServer } from "./support/arxiv-fixture-server.ts";
import { multiVersionRecord, oaiListRecords, oaiResponder, oldStyleRecord } from "./support/arxiv-fixtures.ts";
import { clearOfMidnight } from "./support/calendar.ts";
import { logUntil, repoRoot, startCli } from "./support/cli.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const hfDay = fs.readFileSync(path.join(repoRoot, "test/fixtures/hf-daily-2026-08-21.json"), "utf8");
const twoRecords = new Map([
  [null, oaiListRecords([multiVersionRecord, oldStyleRecord], { value: "", cursor: 0, size: 2 })],
]);

/** What `paperboy worker --once JOB` does, in this process. */
const runOnce = (job: WorkerJobName, env: Record<string, string>) =>
  runJobOnce(loadConfig({ PAPERBOY_LOG_LEVEL: "silent", ...env }), job);

/** A port nothing listens on, as a service that is down looks. */
async function closedPort(): Promise<number> {
  const server = await startFixtureServer(() => ({}));
  const port = Number(new URL(server.url).port);
  await server.close();
  return port;
}

for (const kind of databaseKinds) {
  describe(`job leases on ${kind.kind}`, { skip: kind.skip }, () => {
    test("of twenty workers asking at once one gets the lease; it expires unless renewed", async () => {
      await withStore(kind, async (store) => {
        const now = new Date("2026-08-21T07:00:00.000Z");
        const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
        const granted = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.jobs.acquire("digest-daily", `worker-${i}`, now, later(60))),
        );
        assert.equal(granted.filter(Boolean).length, 1);
        const winner = `worker-${granted.indexOf(true)}`;
        const other = winner === "worker-0" ? "worker-1" : "worker-0";

        assert.equal(await store.jobs.renew("digest-daily", other, later(120)), false, "only the holder renews");
        assert.equal(await store.jobs.renew("digest-daily", winner, later(120)), true);
        assert.equal(await store.jobs.acquire("digest-daily", other, later(90), later(150)), false, "renewed: held");
        // The holder stopped renewing (it crashed): past the lease another worker takes over.
        assert.equal(await store.jobs.acquire("digest-daily", other, later(121), later(181)), true);
        assert.equal(await store.jobs.renew("digest-daily", winner, later(200)), false, "the old holder lost it");
        await store.jobs.release("digest-daily", winner, "ok", "late", later(130));
        await store.jobs.release("digest-daily", other, "failed", "SMTP down", later(140));
        const [status] = await store.jobs.list(later(141));
        assert.deepEqual(
          { ...status },
          {
            name: "digest-daily",
            runningOn: null,
            leaseExpiresAt: null,
            lastStartedAt: later(121).toISOString(),
            lastFinishedAt: later(140).toISOString(),
            lastOutcome: "failed",
            lastMessage: "SMTP down",
          },
        );
      });
    });
  });

  describe(`paperboy worker on ${kind.kind}`, { skip: kind.skip }, () => {
    test("harvest-arxiv harvests from the last harvested day and moves it on", async () => {
      const oai = await startFixtureServer(oaiResponder(twoRecords));
      try {
        await withStore(kind, async (store, db) => {
          await clearOfMidnight(30_000);
          const env = { DATABASE_URL: db.url, PAPERBOY_ARXIV_OAI_URL: `${oai.url}/oai` };
          await store.ingestState.set(ARXIV_HARVESTED_KEY, "2025-01-03");
          const run = await runOnce("harvest-arxiv", env);
          assert.equal(run.status, "ok", JSON.stringify(run));
          assert.match(run.message, /^harvested arXiv from 2025-01-03: all: loaded 2, updated 0/);
          assert.equal(oai.requests[0]?.searchParams.get("from"), "2025-01-03");
          assert.equal(await store.papers.count(), 2);
          const today = new Date().toISOString().slice(0, 10);
          assert.equal(await store.ingestState.get(ARXIV_HARVESTED_KEY), today);
          const [job] = await store.jobs.list();
          assert.equal(job?.lastOutcome, "ok");
          assert.equal(job?.runningOn, null, "the lease is freed");

          assert.equal((await runOnce("harvest-arxiv", env)).status, "ok");
          assert.equal(oai.requests.at(-1)?.searchParams.get("from"), today);
        });
      } finally {
        await oai.close();
      }
    });

    test("harvest-hf fetches yesterday and today; a feed that is down fails the run, not the worker", async () => {
      let down = false;
      const hf = await startFixtureServer(() =>
        down ? { status: 502, body: "Bad gateway" } : { body: hfDay, headers: { "content-type": "application/json" } },
      );
      try {
        await withStore(kind, async (store, db) => {
          const env = { DATABASE_URL: db.url, PAPERBOY_HF_DAILY_URL: `${hf.url}/api/daily_papers` };
          await clearOfMidnight(30_000);
          assert.equal((await runOnce("harvest-hf", env)).status, "ok");
          const today = newYorkDate(new Date());
          assert.deepEqual(
            hf.requests.map((url) => `${url.pathname}?${url.searchParams}`),
            [`/api/daily_papers?date=${addDays(today, -1)}`, `/api/daily_papers?date=${today}`],
          );
          assert.equal(await store.papers.count(), 17);
          assert.equal(await store.ingestState.get(HF_HARVESTED_KEY), today);
          assert.equal((await store.feed.range({ from: "2026-08-21", to: "2026-08-21" })).total, 17);

          down = true;
          const failed = await runOnce("harvest-hf", env);
          assert.equal(failed.status, "failed");
          assert.match(
            failed.status === "failed" ? failed.message : "",
            /^GET http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=.* 502/,
          );
          const [job] = await store.jobs.list();
          assert.equal(job?.lastOutcome, "failed");
        });
      } finally {
        await hf.close();
      }
    });

    test("two scheduled workers never run a job at once, and a dead arXiv does not stop them", async () => {
      const hf = await startFixtureServer(() => ({
        body: hfDay,
        delayMs: 700,
        headers: { "content-type": "application/json" },
      }));
      try {
        await withStore(kind, async (store, db) => {
          const env = {
            DATABASE_URL: db.url,
            PAPERBOY_LOG_LEVEL: "info",
            PAPERBOY_WORKER_JOBS: "harvest-arxiv,harvest-hf",
            PAPERBOY_HF_DAILY_URL: `${hf.url}/api/daily_papers`,
            PAPERBOY_HARVEST_HF_SCHEDULE: "* * * * * *",
            PAPERBOY_HARVEST_ARXIV_SCHEDULE: "* * * * * *",
            PAPERBOY_ARXIV_OAI_URL: `http://127.0.0.1:${await closedPort()}/oai`,
          };
          const workers = [startCli(["worker"], env), startCli(["worker"], env)];
          const watched = workers.map((worker) => logUntil(worker, "paperboy worker started"));
          const logs = watched.map((w) => w.logs);
          await Promise.all(watched.map((w) => w.seen));
          const all = () => logs.flat();
          const count = (job: string, message: string) =>
            all().filter((l) => l.job === job && String(l.msg).startsWith(message)).length;
          // Until the Hugging Face job has run twice, once been turned away, and arXiv has failed twice
          // (a busy machine only makes this take longer).
          for (let waited = 0; waited < 60_000; waited += 200) {
            if (
              count("harvest-hf", "job finished") >= 2 &&
              count("harvest-hf", "another worker is running this job") >= 1 &&
              count("harvest-arxiv", "job failed") >= 2
            )
              break;
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          assert.ok(
            workers.every((w) => w.exitCode === null),
            "both workers are still running",
          );
          for (const worker of workers) worker.kill("SIGTERM");
          const codes = await Promise.all(workers.map(async (w) => (await once(w, "exit"))[0]));
          assert.deepEqual(codes, [0, 0]);

          assert.equal(hf.mostAtOnce, 1, "the Hugging Face job never ran on both workers at once");
          const finished = count("harvest-hf", "job finished");
          assert.ok(finished >= 2, `harvest-hf ran ${finished} times`);
          assert.ok(count("harvest-hf", "another worker is running this job; skipped") >= 1);
          assert.ok(count("harvest-arxiv", "job failed") >= 2, "the arXiv harvest failed, was logged, and ran again");
          assert.equal(await store.papers.count(), 17);
          assert.ok(logs.every((l) => l.some((entry) => entry.msg === "worker stopped")));
        });
      } finally {
        await hf.close();
      }
    });
  });
}
