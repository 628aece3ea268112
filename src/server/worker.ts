import type { Logger } from "pino";
import type { Config, WorkerJobName } from "../config/index.ts";
import { arxivHarvestJob } from "../jobs/harvest-arxiv.ts";
import { hfDailyJob } from "../jobs/harvest-hf.ts";
import type { Job } from "../jobs/job.ts";
import { type RunResult, runJob, workerId } from "../jobs/runner.ts";
import { type Scheduler, startScheduler } from "../jobs/scheduler.ts";
import { Store } from "../store/index.ts";
import { createLogger } from "./logger.ts";

/** Every job the worker can run, as configured; harvest-hf only when its feed URL is set. */
export function workerJobs(config: Config): Map<WorkerJobName, Job> {
  const jobs = new Map<WorkerJobName, Job>();
  jobs.set("harvest-arxiv", arxivHarvestJob(config.worker.arxiv));
  if (config.worker.hfDailyUrl) jobs.set("harvest-hf", hfDailyJob(config.worker.hfDailyUrl));
  return jobs;
}

export interface RunningWorker {
  logger: Logger;
  scheduler: Scheduler;
  /** Stops scheduling, lets running jobs stop at their next safe point, frees their leases, closes the database. */
  stop(): Promise<void>;
}

/** Opens the database (migrating it) and runs the configured jobs at their times. */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const logger = createLogger(config);
  const store = await Store.open(config.database);
  const holder = workerId();
  const available = workerJobs(config);
  const entries = config.worker.jobs.flatMap((name) => {
    const job = available.get(name);
    return job ? [{ job, schedule: config.worker.schedules[name] }] : [];
  });
  const scheduler = startScheduler(entries, {
    timezone: config.worker.timezone,
    logger,
    run: (job, signal) => runJob(job, { store, logger, holder, leaseMs: config.worker.leaseSeconds * 1000, signal }),
  });
  logger.info(
    {
      worker: holder,
      database: store.description,
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
      await store.close();
      logger.info("worker stopped");
    },
  };
}

/** Runs one job now (under its lease, like a scheduled run), for `paperboy worker --once JOB`. */
export async function runJobOnce(config: Config, name: WorkerJobName, signal?: AbortSignal): Promise<RunResult> {
  const job = workerJobs(config).get(name);
  if (!job) throw new Error(`${name} is not configured here (harvest-hf needs PAPERBOY_HF_DAILY_URL)`);
  const logger = createLogger(config);
  const store = await Store.open(config.database);
  try {
    return await runJob(job, { store, logger, holder: workerId(), leaseMs: config.worker.leaseSeconds * 1000, signal });
  } finally {
    await store.close();
  }
}
