import { on } from "node:events";
import { Worker } from "node:worker_threads";
import type { AnalyzedTexts } from "../store/keyword-index/analysis.ts";
import { InputError, readJsonLines } from "./file-source.ts";
import type { SourceItem } from "./run.ts";

/** Items of the input with, for the k-th record, the analysis of its text as `texts` paper k (when made). */
export interface ParsedBatch {
  items: SourceItem[];
  texts: AnalyzedTexts | null;
}

export type ParsingMessage =
  | { ready: true }
  | { batch: ParsedBatch }
  | { done: true }
  | { failure: { name: string; message: string } };

/** Where the thread starts reading: after the lines this resume state covers. */
export interface ParsingStart {
  resumeFrom: string | null;
}

/** Asks for one more batch; `analyse`: whether the store kept any analysis of the last one. */
export interface ParsingRequest {
  analyse: boolean;
}

function startThread(file: string): Worker {
  // The thread loads TypeScript through tsx, as this one does however this one was started.
  const entry = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};
    register();
    await import(${JSON.stringify(new URL("./parsing-thread.ts", import.meta.url).href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(entry)}`), { workerData: { file } });
}

/**
 * readJsonLines with a second thread, which reads, parses and analyses each paper's text for
 * the keyword index while this thread writes what came before: the same items in the same
 * order, with the same errors. This thread reads the first lines itself while the other one
 * starts, then hands over after the last line it read.
 */
export async function* readJsonLinesOnThread(file: string, resumeFrom?: string | null): AsyncGenerator<SourceItem> {
  const worker = startThread(file);
  const exited = new AbortController();
  worker.once("exit", () => exited.abort());
  try {
    const messages = on(worker, "message", { signal: exited.signal }) as AsyncIterator<[ParsingMessage]>;
    let ready = false;
    let failed: unknown = null;
    messages.next().then(
      () => {
        ready = true;
      },
      (error) => {
        failed = error;
      },
    );
    let handOverFrom = resumeFrom ?? null;
    for await (const item of readJsonLines(file, resumeFrom)) {
      if (failed) throw failed;
      yield item;
      handOverFrom = item.position.resume ?? handOverFrom;
      if (ready && item.position.resume) break;
    }
    if (!ready) return;
    worker.postMessage({ resumeFrom: handOverFrom } satisfies ParsingStart);
    for (;;) {
      const { value, done } = await messages.next();
      if (done) return;
      const [message] = value;
      if ("failure" in message) {
        const { name, message: text } = message.failure;
        throw name === "InputError" ? new InputError(text) : new Error(`reading ${file}: ${text}`);
      }
      if ("done" in message) return;
      if (!("batch" in message)) continue;
      const { items, texts } = message.batch;
      let index = 0;
      for (const item of items) {
        if ("record" in item && texts) yield { ...item, analysis: { texts, index: index++ } };
        else yield item;
      }
      // By now the ingest has stored (nearly all of) this batch: it stores a batch before asking for more.
      worker.postMessage({ analyse: texts !== null && texts.kept > 0 } satisfies ParsingRequest);
    }
  } catch (error) {
    if (exited.signal.aborted) throw new Error(`reading ${file}: the parsing thread stopped unexpectedly`);
    throw error;
  } finally {
    await worker.terminate();
  }
}
