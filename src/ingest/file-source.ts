import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createGunzip } from "node:zlib";
import type { PaperRecord } from "../papers/record.ts";
import { RecordError } from "./errors.ts";
import { isArxivListing, parseArxivListing } from "./formats/arxiv-listing.ts";
import { isHfDailyItem, parseHfDailyItem } from "./formats/hf-daily.ts";
import { isKaggleSnapshot, parseKaggleSnapshot } from "./formats/kaggle-snapshot.ts";
import type { SourceItem } from "./run.ts";

export class InputError extends Error {
  override name = "InputError";
}

/** Picks the parser for one JSON line by its shape, so one reader handles every JSONL format. */
export function parseJsonLine(value: unknown): PaperRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new RecordError("line is not a JSON object");
  const line = value as Record<string, unknown>;
  if (isHfDailyItem(line)) return parseHfDailyItem(line);
  if (isArxivListing(line)) return parseArxivListing(line);
  if (isKaggleSnapshot(line)) return parseKaggleSnapshot(line);
  throw new RecordError(
    "unknown format: expected an arXiv snapshot line (categories as a string), a listing line (categories list and published) or a Hugging Face daily-papers item (paper object)",
  );
}

interface FileResume {
  size: number;
  mtimeMs: number;
  line: number;
}

function statOrThrow(file: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch {
    throw new InputError(`cannot read ${file}: no such file`);
  }
}

/** The resume key for a file: its absolute path, so the same file resumes from any directory. */
export function fileCheckpointKey(file: string): string {
  return `file:${path.resolve(file)}`;
}

/**
 * Streams a JSON-lines file (gzip when it ends in .gz), one item per line, never holding the
 * whole file in memory. `resumeFrom` is the state saved by an interrupted run of the same file;
 * lines it covers are skipped, unless the file has changed since.
 */
export async function* readJsonLines(file: string, resumeFrom?: string | null): AsyncGenerator<SourceItem> {
  const stats = statOrThrow(file);
  if (stats.isDirectory()) throw new InputError(`${file} is a directory: give a .jsonl or .jsonl.gz file`);
  let skip = 0;
  if (resumeFrom) {
    const saved = JSON.parse(resumeFrom) as FileResume;
    if (saved.size === stats.size && saved.mtimeMs === stats.mtimeMs) skip = saved.line;
  }
  const raw = fs.createReadStream(file);
  let bytes = 0;
  raw.on("data", (chunk) => {
    bytes += chunk.length;
  });
  const gzipped = file.endsWith(".gz");
  const text = gzipped ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (error) => text.destroy(error));
  const lines = readline.createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY });
  const name = path.basename(file);
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (lineNumber <= skip || line.trim() === "") continue;
      const position = {
        where: `${name}:${lineNumber}`,
        resume: JSON.stringify({ size: stats.size, mtimeMs: stats.mtimeMs, line: lineNumber } satisfies FileResume),
        done: bytes,
        total: stats.size,
      };
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        yield { error: `invalid JSON (${(error as Error).message})`, position };
        continue;
      }
      try {
        yield { record: parseJsonLine(value), position };
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        yield { error: error.message, position };
      }
    }
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "Z_DATA_ERROR" ||
      (error as Error).message.includes("unexpected end of file")
    ) {
      yield {
        error: `gzip data is corrupt after line ${lineNumber} (${(error as Error).message})`,
        position: { where: `${name}:${lineNumber + 1}` },
      };
      return;
    }
    throw error;
  }
}

/**
 * Items of one Hugging Face day, as the daily-papers API answers it: a JSON array, or
 * `{data: [...]}` as some archives wrap it. `name` says where it came from in messages; `day`
 * is the feed day for items that carry none.
 */
export function* readHfDayJson(text: string, name: string, day: string | undefined): Generator<SourceItem> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    yield { error: `invalid JSON (${(error as Error).message})`, position: { where: name } };
    return;
  }
  const items = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown })?.data;
  if (!Array.isArray(items)) {
    yield { error: "expected a JSON array of daily-papers items", position: { where: name } };
    return;
  }
  for (const [index, item] of items.entries()) {
    const position = { where: `${name} item ${index + 1}` };
    try {
      if (typeof item !== "object" || item === null) throw new RecordError("item is not a JSON object");
      yield { record: parseHfDailyItem(item as Record<string, unknown>, day), position };
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      yield { error: error.message, position };
    }
  }
}

/** Items of one Hugging Face day file, whose name may carry its day (`2025-06-03.json`). */
function readHfDayFile(file: string): Generator<SourceItem> {
  const name = path.basename(file);
  return readHfDayJson(fs.readFileSync(file, "utf8"), name, /(\d{4}-\d{2}-\d{2})/.exec(name)?.[1]);
}

/**
 * Hugging Face daily-papers input: a day file (`2025-06-03.json`), a directory of day files,
 * or a JSON-lines archive (optionally .gz) with one item per line.
 */
export async function* readHfDaily(target: string, resumeFrom?: string | null): AsyncGenerator<SourceItem> {
  const stats = statOrThrow(target);
  if (stats.isDirectory()) {
    const files = fs
      .readdirSync(target)
      .filter((f) => f.endsWith(".json"))
      .sort();
    if (files.length === 0) throw new InputError(`${target} holds no .json day files`);
    for (const [i, file] of files.entries()) {
      for (const item of readHfDayFile(path.join(target, file)))
        yield { ...item, position: { ...item.position, done: i, total: files.length } };
    }
    return;
  }
  if (/\.jsonl(\.gz)?$/.test(target)) {
    yield* readJsonLines(target, resumeFrom);
    return;
  }
  yield* readHfDayFile(target);
}
