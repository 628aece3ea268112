/**
 * The thread behind readJsonLinesOnThread: reads and parses the input file from where the main
 * thread leaves it, and analyses the text of each record as a new paper for the keyword index,
 * while the main thread writes earlier batches.
 */
import { parentPort, workerData } from "node:worker_threads";
import { mergePaper } from "../papers/paper.ts";
import { analyzeTexts } from "../store/keyword-index/analysis.ts";
import { indexedText } from "../store/paper-rows.ts";
import { readJsonLines } from "./file-source.ts";
import type { SourceItem } from "./run.ts";
import type { ParsedBatch, ParsingMessage, ParsingRequest, ParsingStart } from "./threaded-file-source.ts";

const ITEMS_PER_MESSAGE = 1000;
/** Batches sent ahead of the main thread: one to write while the next is parsed. */
const BATCHES_AHEAD = 2;
/** While the store keeps no analyses (its papers are stored already), one batch in so many is analysed, to notice new papers. */
const PROBE_EVERY = 8;

const port = parentPort;
if (!port) throw new Error("parsing-thread.ts runs as a worker thread");
const { file } = workerData as { file: string };
// Ready: the main thread, which reads the file meanwhile, answers where to take over.
port.postMessage({ ready: true } satisfies ParsingMessage);
const { resumeFrom } = await new Promise<ParsingStart>((resolve) => port.once("message", resolve));

let credits = BATCHES_AHEAD;
let analyse = true;
let wake: (() => void) | null = null;
// The main thread asks for one more batch as it finishes one; the listener keeps this thread
// alive until the main thread ends it.
port.on("message", (request: ParsingRequest) => {
  credits++;
  analyse = request.analyse;
  wake?.();
});

let sent = 0;
async function send(items: SourceItem[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  const texts =
    analyse || sent % PROBE_EVERY === 0
      ? analyzeTexts(items.flatMap((item) => ("record" in item ? [indexedText(mergePaper(null, item.record))] : [])))
      : null;
  sent++;
  const batch: ParsedBatch = { items, texts };
  const buffers = texts
    ? [texts.starts.buffer, texts.termOfPosting.buffer, texts.packed.buffer, texts.lengths.buffer]
    : [];
  port?.postMessage({ batch } satisfies ParsingMessage, buffers);
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
