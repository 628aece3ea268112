import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Store } from "../store/index.ts";
import type { Job } from "./job.ts";

export type RunResult =
  | { status: "ok"; message: string }
  | { status: "failed"; message: string }
  /** Another worker holds the job's lease. */
  | { status: "busy" };

/** Names this process in leases, so an operator can tell which worker holds what. */
export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

export interface RunOptions {
  store: Store;
  logger: Logger;
  /** This worker's id in the lease. */
  holder: string;
  leaseMs: number;
  /** Stops the job early, e.g. when the worker shuts down. */
  signal?: AbortSignal;
}

/**
 * Runs a job if its lease can be taken, renewing the lease while it runs and freeing it after.
 * A failure (a dependency that is down, say) is logged and recorded, never thrown: the worker
 * goes on and the job runs again at its next time.
 */
export async function runJob(job: Job, options: RunOptions): Promise<RunResult> {
  const { store, holder, leaseMs } = options;
  const logger = options.logger.child({ job: job.name });
  const started = new Date();
  let acquired: boolean;
  try {
    acquired = await store.jobs.acquire(job.name, holder, started, new Date(started.getTime() + leaseMs));
  } catch (error) {
    logger.warn({ err: error }, "could not take the job's lease: the database is unavailable");
    return { status: "failed", message: `database unavailable: ${(error as Error).message}` };
  }
  if (!acquired) {
    logger.info("another worker is running this job; skipped");
    return { status: "busy" };
  }

  const lease = new AbortController();
  const onStop = () => lease.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onStop, { once: true });
  const heartbeat = setInterval(() => {
    store.jobs.renew(job.name, holder, new Date(Date.now() + leaseMs)).then(
      (kept) => {
        if (!kept) lease.abort(new LeaseLostError(`lost the lease on ${job.name} to another worker`));
      },
      (error: unknown) => logger.warn({ err: error }, "could not renew the job's lease; retrying"),
    );
  }, leaseMs / 3);

  logger.info("job started");
  let result: RunResult;
  try {
    result = { status: "ok", message: await job.run({ store, logger, signal: lease.signal }) };
    logger.info({ ms: Date.now() - started.getTime(), result: result.message }, "job finished");
  } catch (error) {
    result = { status: "failed", message: (error as Error).message ?? String(error) };
    logger.warn({ err: error, ms: Date.now() - started.getTime() }, "job failed; it runs again at its next time");
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener("abort", onStop);
  }
  try {
    await store.jobs.release(job.name, holder, result.status === "ok" ? "ok" : "failed", result.message, new Date());
  } catch (error) {
    logger.warn({ err: error }, "could not free the job's lease; it expires on its own");
  }
  return result;
}
