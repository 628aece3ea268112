import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Prometheus metrics of this process. The instruments are always there and cheap to update; they
 * are only read (and Node's process metrics only collected) when a `serve` or `worker` process
 * exposes them, with PAPERBOY_METRICS=on or PAPERBOY_METRICS_PORT.
 */
export const metricsRegistry = new Registry();

export const httpRequestDuration = new Histogram({
  name: "paperboy_http_request_duration_seconds",
  help: "Time to answer an HTTP request, by method, route pattern and status code.",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const renderCacheRequests = new Counter({
  name: "paperboy_render_cache_requests_total",
  help: "Requests the render cache could answer, by result: hit (served kept bytes), miss (rendered and kept), bypass (signed in, or not cacheable).",
  labelNames: ["result"] as const,
  registers: [metricsRegistry],
});

export const renderCacheSize = new Gauge({
  name: "paperboy_render_cache_bytes",
  help: "Bytes of rendered responses the render cache holds.",
  registers: [metricsRegistry],
});

export const ingestedPapers = new Counter({
  name: "paperboy_ingest_papers_total",
  help: "Papers read by ingest, by outcome: inserted, updated, unchanged or failed.",
  labelNames: ["outcome"] as const,
  registers: [metricsRegistry],
});

export const ingestBatchDuration = new Histogram({
  name: "paperboy_ingest_batch_duration_seconds",
  help: "Time to store one ingest batch (one transaction).",
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

export const embeddedPapers = new Counter({
  name: "paperboy_embedded_papers_total",
  help: "Papers given a vector for semantic search.",
  registers: [metricsRegistry],
});

/** A pool's connections as `collect` reports them when metrics are read. */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Reports a database pool's use (PostgreSQL's pg.Pool; SQLite's one connection) whenever metrics are read. */
export function watchPool(read: () => PoolUse): void {
  metricsRegistry.removeSingleMetric("paperboy_db_pool_connections");
  new Gauge({
    name: "paperboy_db_pool_connections",
    help: "Database connections by state: total (open), idle, waiting (requests queued for one), max (the pool's limit).",
    labelNames: ["state"] as const,
    registers: [metricsRegistry],
    collect() {
      const use = read();
      for (const state of ["total", "idle", "waiting", "max"] as const) this.set({ state }, use[state]);
    },
  });
}

/** The worker's queues as a scrape reads them from the database (store.outbox.depths, store.jobs.list). */
export interface QueueDepths {
  /** Mails by state: due, waiting (for a retry), sending, sent, failed, suppressed, cancelled. */
  outbox: Record<string, number>;
  jobs: { name: string; running: boolean; lastFinishedAt: string | null; lastOutcome: string | null }[];
}

/**
 * Reports the outbox and the worker jobs whenever metrics are read. The figures live in the
 * database, so any process exposing metrics (a serve or a worker) reports the same; one query
 * answers for all the metrics, whichever is collected first.
 */
export function watchQueues(read: () => Promise<QueueDepths>): void {
  let pending: Promise<QueueDepths> | null = null;
  const once = () => {
    pending ??= read().finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    fill: (g: Gauge<L>, d: QueueDepths) => void,
  ) => {
    metricsRegistry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        fill(this, await once());
      },
    });
  };
  gauge(
    "paperboy_outbox_mails",
    "Mails in the outbox by state: due (queued, to send now), waiting (for a retry), sending, sent, failed, suppressed, cancelled.",
    ["state"],
    (g, d) => {
      for (const [state, n] of Object.entries(d.outbox)) g.set({ state }, n);
    },
  );
  gauge("paperboy_job_running", "1 while a worker holds the job's lease.", ["job"], (g, d) => {
    for (const job of d.jobs) g.set({ job: job.name }, job.running ? 1 : 0);
  });
  gauge(
    "paperboy_job_last_finished_timestamp_seconds",
    "When the job's last run ended (Unix time), by its outcome: ok or failed.",
    ["job", "outcome"],
    (g, d) => {
      for (const job of d.jobs) {
        if (job.lastFinishedAt && job.lastOutcome)
          g.set({ job: job.name, outcome: job.lastOutcome }, Date.parse(job.lastFinishedAt) / 1000);
      }
    },
  );
}

let processMetrics = false;

/** Starts collecting Node's process metrics (memory, CPU, event loop lag, GC), once per process. */
export function watchProcess(): void {
  if (processMetrics) return;
  collectDefaultMetrics({ register: metricsRegistry, prefix: "paperboy_" });
  processMetrics = true;
}

/** The text a Prometheus scraper reads. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
