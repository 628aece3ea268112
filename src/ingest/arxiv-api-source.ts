import { DEFAULT_ARXIV_API_URL } from "../config/index.ts";
import type { PaperRecord } from "../papers/record.ts";
import { parseAtomPage } from "./formats/arxiv-atom.ts";
import { fetchText, type HttpOptions, RemoteSourceError, realSleep } from "./http.ts";
import type { SourceItem } from "./run.ts";

export const DEFAULT_ARXIV_API_ENDPOINT = DEFAULT_ARXIV_API_URL;
/** The arXiv API's terms ask for no more than one call every three seconds. */
export const ARXIV_API_PAUSE_MS = 3000;

export interface ArxivApiSearch {
  endpoint: string;
  /** arXiv search_query syntax, e.g. `cat:cs.CL AND ti:retrieval`. */
  query: string;
  /** Stop after this many results. */
  max: number;
  pageSize?: number;
  /** Pause between calls, in milliseconds. */
  pauseMs?: number;
  http?: HttpOptions;
}

/**
 * Pages through an arXiv API query, pausing between calls as the API asks, until `max`
 * results, an empty page, or the end of the list the feed announces.
 */
export async function* searchArxivApi(search: ArxivApiSearch): AsyncGenerator<SourceItem> {
  const pageSize = search.pageSize ?? 100;
  const sleep = search.http?.sleep ?? realSleep;
  let start = 0;
  for (let page = 1; start < search.max; page += 1) {
    if (page > 1) await sleep(search.pauseMs ?? ARXIV_API_PAUSE_MS);
    const url = new URL(search.endpoint);
    url.searchParams.set("search_query", search.query);
    url.searchParams.set("start", String(start));
    url.searchParams.set("max_results", String(Math.min(pageSize, search.max - start)));
    let parsed: ReturnType<typeof parseAtomPage>;
    try {
      parsed = parseAtomPage(await fetchText(url, search.http));
    } catch (error) {
      if (error instanceof RemoteSourceError) throw error;
      throw new RemoteSourceError(`page ${page} (${url.href}): ${(error as Error).message}`);
    }
    const entries = parsed.entries.slice(0, search.max - start);
    if (entries.length === 0) return;
    const total = Math.min(search.max, parsed.totalResults ?? search.max);
    for (const [index, entry] of entries.entries()) {
      const position = {
        where: `API page ${page} entry ${index + 1}${entry.entryId ? ` (${entry.entryId})` : ""}`,
        flush: index === entries.length - 1,
        done: start + index + 1,
        total,
      };
      yield "record" in entry ? { record: entry.record, position } : { error: entry.error, position };
    }
    start += entries.length;
    if (parsed.totalResults !== null && start >= parsed.totalResults) return;
  }
}

/** One paper from the arXiv API by its versionless id; null when arXiv has no such paper. */
export async function fetchArxivPaper(endpoint: string, id: string, http?: HttpOptions): Promise<PaperRecord | null> {
  const url = new URL(endpoint);
  url.searchParams.set("id_list", id);
  url.searchParams.set("max_results", "1");
  const text = await fetchText(url, http);
  let parsed: ReturnType<typeof parseAtomPage>;
  try {
    parsed = parseAtomPage(text);
  } catch (error) {
    throw new RemoteSourceError(`${url.href}: ${(error as Error).message}`);
  }
  for (const entry of parsed.entries) if ("record" in entry && entry.record.id === id) return entry.record;
  return null;
}
