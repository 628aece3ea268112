import { on } from "node:events";
import { Worker } from "node:worker_threads";
import type { AnalyzedTexts } from "../store/keyword-index/analysis.ts";
import { InputError } from "./file-source.ts";
import type { SourceItem } from "./run.ts";

/** Items of the input with, for the k-th record, the analysis of its text as `texts` paper k. */
export interface ParsedBatch {
  items: SourceItem[];
  texts: AnalyzedTexts;
  contentHashes: string[];
}

export type ParsingMessage = { batch: ParsedBatch } | { done: true } | { failure: { name: string; message: string } };

/**
 * readJsonLines on a second thread, which also analyses each paper's text for the keyword
 * index: the same items, in the same order, with the same errors, while this thread is free
 * to write what came before.
 */
export async function* readJsonLinesOnThread(file: string, resumeFrom?: string | null): AsyncGenerator<SourceItem> {
  // The thread loads TypeScript through tsx, as this one does however this one was started.
  const entry = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};
    register();
    await import(${JSON.stringify(new URL("./parsing-thread.ts", import.meta.url).href)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(entry)}`), {
    workerData: { file, resumeFrom: resumeFrom ?? null },
  });
  const exited = new AbortController();
  worker.once("exit", () => exited.abort());
  try {
    for await (const [message] of on(worker, "message", { signal: exited.signal }) as AsyncIterable<[ParsingMessage]>) {
      if ("failure" in message) {
        const { name, message: text } = message.failure;
        throw name === "InputError" ? new InputError(text) : new Error(`reading ${file}: ${text}`);
      }
      if ("done" in message) return;
      worker.postMessage("more");
      const { items, texts, contentHashes } = message.batch;
      let index = 0;
      for (const item of items) {
        if ("record" in item) {
          yield { ...item, analysis: { texts, index, contentHash: contentHashes[index] as string } };
          index++;
        } else {
          yield item;
        }
      }
    }
  } catch (error) {
    if (exited.signal.aborted) throw new Error(`reading ${file}: the parsing thread stopped unexpectedly`);
    throw error;
  } finally {
    await worker.terminate();
  }
}
