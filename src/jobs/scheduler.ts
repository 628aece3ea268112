import { Cron } from "croner";
import type { Logger } from "pino";
import type { Job } from "./job.ts";
import type { RunResult } from "./runner.ts";

export interface ScheduledJob {
  job: Job;
  /** Cron expression, read in the scheduler's time zone. */
  schedule: string;
}

export interface Scheduler {
  /** When each job runs next. */
  nextRuns(): { job: string; at: Date | null }[];
  /** Stops scheduling, aborts running jobs and waits for them to end. */
  stop(): Promise<void>;
}

// After a failure a job is tried again sooner than its next time: after 5 min, then 10, 20, … up to an hour.
const FIRST_RETRY_MS = 5 * 60_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/**
 * Runs each job at its times. Overlapping runs of one job in this process are skipped (croner's
 * protect); across processes the job's lease decides. A failed run is retried with backoff
 * until the next regular time.
 */
export function startScheduler(
  entries: ScheduledJob[],
  options: {
    timezone: string;
    logger: Logger;
    run: (job: Job, signal: AbortSignal) => Promise<RunResult>;
  },
): Scheduler {
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();
  const retries = new Map<string, NodeJS.Timeout>();
  const failures = new Map<string, number>();

  const fire = async (entry: ScheduledJob, cron: Cron) => {
    clearTimeout(retries.get(entry.job.name));
    retries.delete(entry.job.name);
    const run = options.run(entry.job, stopping.signal);
    running.add(run);
    const result = await run.finally(() => running.delete(run));
    if (result.status !== "failed" || stopping.signal.aborted) {
      failures.delete(entry.job.name);
      return;
    }
    const failed = (failures.get(entry.job.name) ?? 0) + 1;
    failures.set(entry.job.name, failed);
    const delay = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failed - 1));
    const next = cron.nextRun();
    if (next && next.getTime() - Date.now() <= delay) return;
    options.logger.info({ job: entry.job.name, inSeconds: delay / 1000 }, "retrying the failed job early");
    retries.set(
      entry.job.name,
      setTimeout(() => void cron.trigger(), delay),
    );
  };

  const crons = entries.map((entry) => {
    const cron: Cron = new Cron(
      entry.schedule,
      {
        name: entry.job.name,
        timezone: options.timezone,
        protect: true,
        // runJob records failures itself; anything else that escapes is logged, never left to end the process.
        catch: (error: unknown) => options.logger.error({ err: error, job: entry.job.name }, "scheduling a job failed"),
      },
      () => fire(entry, cron),
    );
    return cron;
  });

  return {
    nextRuns: () => crons.map((cron, i) => ({ job: entries[i]?.job.name ?? "", at: cron.nextRun() })),
    async stop() {
      for (const cron of crons) cron.stop();
      for (const timer of retries.values()) clearTimeout(timer);
      stopping.abort(new Error("the worker is stopping"));
      await Promise.allSettled([...running]);
    },
  };
}
