import { ingestBatchDuration, ingestedPapers } from "../metrics/index.ts";
import type { PaperRecord } from "../papers/record.ts";
import type { Store, UpsertOutcome } from "../store/index.ts";

/** One item read from a source: a record to store, or the reason a piece of input was skipped. */
export type SourceItem =
  | { record: PaperRecord; position: SourcePosition }
  | { error: string; position: SourcePosition };

/** Where in the input an item came from, and how far through the input that is. */
export interface SourcePosition {
  /** Human-readable place for error messages: `file.jsonl:17`, `page 3 record 12`. */
  where: string;
  /** Opaque resume state: stored with the batch that holds this item, handed back on restart. */
  resume?: string;
  /** Progress so far and total, in whatever unit the source counts (bytes, records). */
  done?: number;
  total?: number;
  /**
   * Store everything read so far before asking for more: set on the last item of a network
   * page, so a failure while fetching the next page loses nothing and resume starts after it.
   */
  flush?: boolean;
}

export interface IngestSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** The first failures, each `where: message`. */
  errors: string[];
}

/** One line: "loaded 17, updated 0, unchanged 2, failed 0". */
export function describeSummary(summary: IngestSummary): string {
  return `loaded ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}, failed ${summary.failed}`;
}

export interface IngestProgress {
  done: number;
  total?: number;
  papers: number;
  summary: IngestSummary;
}

export interface IngestOptions {
  /** Records per transaction. */
  batchSize?: number;
  /** Key under which the source's resume state is saved with every batch. */
  checkpointKey?: string;
  onProgress?: (progress: IngestProgress) => void;
  onError?: (message: string) => void;
}

const MAX_ERRORS_KEPT = 100;

/**
 * Stores everything a source yields, in batches of one transaction each. The source's resume
 * state is saved with each batch, so after a crash the source can restart right after the last
 * stored batch; since storing is idempotent, replaying part of a batch is harmless.
 */
export async function ingest(
  store: Store,
  source: AsyncIterable<SourceItem>,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const batchSize = options.batchSize ?? 1000;
  const summary: IngestSummary = { inserted: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  let batch: PaperRecord[] = [];
  let last: SourcePosition | undefined;
  let papers = 0;

  const count = (outcome: UpsertOutcome) => {
    summary[outcome] += 1;
    ingestedPapers.inc({ outcome });
  };
  const flush = async () => {
    if (batch.length === 0 && !(options.checkpointKey && last?.resume)) return;
    const checkpoint =
      options.checkpointKey && last?.resume ? { key: options.checkpointKey, value: last.resume } : undefined;
    const stopTimer = ingestBatchDuration.startTimer();
    const outcomes = await store.papers.upsertBatch(batch, checkpoint);
    stopTimer();
    outcomes.forEach(count);
    papers += batch.length;
    batch = [];
    options.onProgress?.({ done: last?.done ?? papers, total: last?.total, papers, summary });
  };

  for await (const item of source) {
    last = item.position;
    if ("error" in item) {
      summary.failed += 1;
      ingestedPapers.inc({ outcome: "failed" });
      const message = `${item.position.where}: ${item.error}`;
      if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push(message);
      options.onError?.(message);
    } else {
      batch.push(item.record);
    }
    if (batch.length >= batchSize || item.position.flush) await flush();
  }
  await flush();
  await store.search.catchUp();
  return summary;
}
