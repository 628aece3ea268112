import type { Logger } from "pino";
import type { Store } from "../store/index.ts";

/** What a running job may use. */
export interface JobContext {
  store: Store;
  logger: Logger;
  /** Aborted when the worker loses the job's lease or stops: the job should stop at its next safe point. */
  signal: AbortSignal;
}

/** Work the worker runs on a schedule, one worker at a time. */
export interface Job {
  name: string;
  /** One line for `paperboy worker --help`. */
  summary: string;
  /** Does the work and says in one line what it did; throws when it could not. */
  run(context: JobContext): Promise<string>;
}

/** Passes a source's items on until the signal is aborted, then throws its reason. */
export async function* untilAborted<T>(items: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  for await (const item of items) {
    signal.throwIfAborted();
    yield item;
  }
}
