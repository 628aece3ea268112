import type { Config } from "../config/index.ts";
import { fileCheckpointKey, InputError, readHfDaily, readJsonLines } from "../ingest/file-source.ts";
import { describeSummary, type IngestProgress, ingest, type SourceItem } from "../ingest/run.ts";
import { Store } from "../store/index.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { arxivApiSource } from "./ingest-arxiv-api.ts";
import { oaiSource } from "./ingest-oai.ts";
import { progressReporter, rate } from "./progress.ts";

/** One `paperboy ingest <source>`: turns its arguments into a stream of items and a resume key. */
export interface IngestSourceCommand {
  name: string;
  usage: string;
  summary: string;
  /** Parses arguments (throwing UsageError) and opens the source; `resume` reads saved state. */
  open(
    args: string[],
    resume: (key: string) => Promise<string | null>,
  ): Promise<{ items: AsyncIterable<SourceItem>; checkpointKey?: string; finish?: (store: Store) => Promise<void> }>;
}

function singlePath(args: string[], source: string): string {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length !== 1 || !positionals[0])
    throw new UsageError(`ingest ${source} takes exactly one PATH, got ${positionals.length}`);
  return positionals[0];
}

/** A source read from a local path, resumable through a checkpoint keyed by that path. */
function localSource(
  name: string,
  summary: string,
  read: (path: string, resumeFrom: string | null) => AsyncIterable<SourceItem>,
): IngestSourceCommand {
  return {
    name,
    usage: `paperboy ingest ${name} PATH`,
    summary,
    async open(args, resume) {
      const target = singlePath(args, name);
      const key = fileCheckpointKey(target);
      const saved = await resume(key);
      if (saved)
        process.stderr.write(
          `ingest ${name}: an earlier run of ${target} was interrupted; resuming after its last stored batch\n`,
        );
      return {
        items: read(target, saved),
        checkpointKey: key,
        finish: (store) => store.ingestState.delete(key),
      };
    },
  };
}

const fileSource = localSource(
  "file",
  "arXiv metadata as JSON lines (.jsonl or .jsonl.gz): the Kaggle snapshot or Paperboy's listing format, detected per line",
  readJsonLines,
);

const hfDailySource = localSource(
  "hf-daily",
  "Hugging Face daily-papers API output: a day file, a directory of day files, or a .jsonl(.gz) archive",
  readHfDaily,
);

export const ingestSources: IngestSourceCommand[] = [fileSource, hfDailySource, oaiSource, arxivApiSource];

export const ingestCommand: Command = {
  name: "ingest",
  summary: "Load papers from a file or an arXiv service",
  get help() {
    return [
      "Usage: paperboy ingest <source> [arguments]",
      "",
      "Loads papers into the database. Ingesting the same input twice changes nothing; an",
      "interrupted run resumes where it stopped. Lines that cannot be read are reported with",
      "their line number and skipped; the exit code is 0 only when nothing failed.",
      "",
      "Sources:",
      ...ingestSources.map((s) => `  ${s.usage}\n      ${s.summary}`),
    ].join("\n");
  },
  async run(args, config: Config) {
    const [name, ...rest] = args;
    const source = ingestSources.find((s) => s.name === name);
    if (!source) {
      throw new UsageError(
        name
          ? `unknown source "${name}": use one of ${ingestSources.map((s) => s.name).join(", ")}`
          : "ingest needs a source",
      );
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`Usage: ${source.usage}\n\n${source.summary}\n`);
      return 0;
    }
    const store = await Store.open(config.database);
    try {
      const opened = await source.open(rest, (key) => store.ingestState.get(key));
      const started = Date.now();
      const reporter = progressReporter(`ingest ${source.name}`, (p: IngestProgress) => ({
        done: p.done,
        total: p.total,
        text: `${p.papers.toLocaleString("en-US")} papers (${p.summary.inserted} new, ${p.summary.updated} updated, ${p.summary.unchanged} unchanged, ${p.summary.failed} failed) ${rate(p.papers, started, "papers")}`,
      }));
      const summary = await ingest(store, opened.items, {
        checkpointKey: opened.checkpointKey,
        onProgress: (p) => reporter.update(p),
        onError: (message) => process.stderr.write(`error: ${message}\n`),
      });
      reporter.done();
      await opened.finish?.(store);
      if (summary.inserted + summary.updated > 0) await store.analyze();
      process.stdout.write(`${describeSummary(summary)}\n`);
      return summary.failed === 0 ? 0 : 1;
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(error.message);
      throw error;
    } finally {
      await store.close();
    }
  },
};
