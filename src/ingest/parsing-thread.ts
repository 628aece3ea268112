/**
 * The thread behind readJsonLinesOnThread: reads and parses the input file, and analyses each
 * new paper's text for the keyword index, while the main thread writes earlier batches.
 */
import { parentPort, workerData } from "node:worker_threads";
import { mergePaper } from "../papers/paper.ts";
import { analyzeTexts } from "../store/keyword-index/analysis.ts";
import { paperToRow } from "../store/paper-rows.ts";
import { readJsonLines } from "./file-source.ts";
import type { SourceItem } from "./run.ts";
import type { ParsedBatch, ParsingMessage } from "./threaded-file-source.ts";

const ITEMS_PER_MESSAGE = 1000;
/** Batches sent ahead of the main thread: one to write while the next is parsed. */
const BATCHES_AHEAD = 2;

const port = parentPort;
if (!port) throw new Error("parsing-thread.ts runs as a worker thread");
const { file, resumeFrom } = workerData as { file: string; resumeFrom: string | null };

let credits = BATCHES_AHEAD;
let wake: (() => void) | null = null;
// The main thread asks for one more batch as it starts on one; the listener keeps this thread
// alive until the main thread ends it.
port.on("message", () => {
  credits++;
  wake?.();
});

async function send(items: SourceItem[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  // The text as a new paper's row holds it: the main thread uses the analysis only for a row
  // with the same content hash.
  const rows = items.flatMap((item) => ("record" in item ? [paperToRow(mergePaper(null, item.record))] : []));
  const texts = analyzeTexts(rows);
  const batch: ParsedBatch = { items, texts, contentHashes: rows.map((r) => r.content_hash) };
  port?.postMessage({ batch } satisfies ParsingMessage, [
    texts.starts.buffer,
    texts.termOfPosting.buffer,
    texts.packed.buffer,
    texts.lengths.buffer,
  ]);
}

try {
  let items: SourceItem[] = [];
  for await (const item of readJsonLines(file, resumeFrom)) {
    items.push(item);
    if (items.length >= ITEMS_PER_MESSAGE) {
      await send(items);
      items = [];
    }
  }
  if (items.length) await send(items);
  port.postMessage({ done: true } satisfies ParsingMessage);
} catch (error) {
  const { name, message } = error as Error;
  port.postMessage({ failure: { name, message } } satisfies ParsingMessage);
}
