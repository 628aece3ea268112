import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config, WorkerJobName } from "../config/index.ts";
import { followedPaperDigests } from "../inbox/digest.ts";
import type { Inbox } from "../inbox/inbox.ts";
import { digestJob, mailJob } from "../inbox/jobs.ts";
import { arxivHarvestJob } from "../jobs/harvest-arxiv.ts";
import { hfDailyJob } from "../jobs/harvest-hf.ts";
import type { Job } from "../jobs/job.ts";
import { type RunResult, runJob, workerId } from "../jobs/runner.ts";
import { type Scheduler, startScheduler } from "../jobs/scheduler.ts";
import { Store } from "../store/index.ts";
import { openInbox } from "./inbox.ts";
import { createLogger } from "./logger.ts";
import { listenForMetrics, watchStore } from "./metrics.ts";

/** Whether a job can run with these settings: harvest-hf needs its feed URL. */
export function isConfigured(config: Config, name: WorkerJobName): boolean {
  return name !== "harvest-hf" || config.worker.hfDailyUrl !== null;
}

function jobFor(config: Config, inbox: Inbox, name: WorkerJobName): Job | null {
  switch (name) {
    case "harvest-arxiv":
      return arxivHarvestJob(config.worker.arxiv);
    case "harvest-hf":
      return config.worker.hfDailyUrl ? hfDailyJob(config.worker.hfDailyUrl) : null;
    case "digest-daily":
      return digestJob(inbox, "daily");
    case "digest-weekly":
      return digestJob(inbox, "weekly");
    case "mail":
      return mailJob(inbox);
  }
}

/** What a worker process holds: the database, the mailer, and this process's id in leases. */
async function openWorkerContext(config: Config) {
  const logger = createLogger(config);
  const store = await Store.open(config.database);
  const { inbox, mailer } = openInbox(store, config, logger, followedPaperDigests(store));
  return {
    logger,
    store,
    inbox,
    holder: workerId(),
    leaseMs: config.worker.leaseSeconds * 1000,
    async close() {
      await mailer.close();
      await store.close();
    },
  };
}

export interface RunningWorker {
  logger: Logger;
  scheduler: Scheduler;
  /** Stops scheduling, lets running jobs stop at their next safe point, frees their leases, closes the database. */
  stop(): Promise<void>;
}

/** Opens the database (migrating it) and runs the configured jobs at their times. */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const context = await openWorkerContext(config);
  const { logger, store, holder, leaseMs } = context;
  const entries = config.worker.jobs.flatMap((name) => {
    const job = jobFor(config, context.inbox, name);
    return job ? [{ job, schedule: config.worker.schedules[name] }] : [];
  });
  // A worker has no site to serve /metrics on: only a port of its own exposes them.
  let metricsServer: Server | null = null;
  if (config.metrics.kind === "port") {
    watchStore(store);
    metricsServer = await listenForMetrics(config.metrics.port, config.host);
  }
  const scheduler = startScheduler(entries, {
    timezone: config.worker.timezone,
    logger,
    run: (job, signal) => runJob(job, { store, logger, holder, leaseMs, signal }),
  });
  logger.info(
    {
      worker: holder,
      database: store.description,
      ...(metricsServer
        ? { metrics: `http://${config.host}:${(metricsServer.address() as AddressInfo).port}/metrics` }
        : {}),
      timezone: config.worker.timezone,
      jobs: scheduler.nextRuns().map(({ job, at }) => `${job} next at ${at?.toISOString() ?? "never"}`),
    },
    "paperboy worker started",
  );
  return {
    logger,
    scheduler,
    async stop() {
      logger.info("worker stopping");
      await scheduler.stop();
      metricsServer?.close();
      await context.close();
      logger.info("worker stopped");
    },
  };
}

/** Runs one job now (under its lease, like a scheduled run), for `paperboy worker --once JOB`. */
export async function runJobOnce(config: Config, name: WorkerJobName, signal?: AbortSignal): Promise<RunResult> {
  const context = await openWorkerContext(config);
  try {
    const job = jobFor(config, context.inbox, name);
    if (!job) throw new Error(`${name} is not configured here (harvest-hf needs PAPERBOY_HF_DAILY_URL)`);
    return await runJob(job, { ...context, signal });
  } finally {
    await context.close();
  }
}
