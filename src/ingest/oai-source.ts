import { OaiProtocolError, parseOaiPage } from "./formats/oai-arxiv.ts";
import { fetchText, type HttpOptions, RemoteSourceError } from "./http.ts";
import type { SourceItem } from "./run.ts";

export const DEFAULT_OAI_ENDPOINT = "https://oaipmh.arxiv.org/oai";

/** What to harvest: the same request, rerun, resumes an interrupted harvest. */
export interface OaiRequest {
  /** Base URL of the OAI-PMH interface (https://oaipmh.arxiv.org/oai, or the older http://export.arxiv.org/oai2). */
  endpoint: string;
  /** YYYY-MM-DD, inclusive, compared with each record's datestamp. */
  from: string;
  until?: string;
  /** An OAI set such as `cs` or `physics:hep-th`. */
  set?: string;
}

export interface OaiHarvestOptions extends OaiRequest {
  /** State saved by an interrupted harvest of the same request. */
  resumeFrom?: string | null;
  http?: HttpOptions;
}

/** The resume state: the resumption token to ask for next, or null to start from the beginning. */
interface OaiResume {
  token: string | null;
}

export function oaiCheckpointKey(request: OaiRequest): string {
  const params = new URLSearchParams({ from: request.from });
  if (request.until) params.set("until", request.until);
  if (request.set) params.set("set", request.set);
  return `oai:${request.endpoint}?${params}`;
}

function pageUrl(request: OaiRequest, token: string | null): URL {
  const url = new URL(request.endpoint);
  url.searchParams.set("verb", "ListRecords");
  // OAI-PMH: a resumptionToken is an exclusive argument, it carries the rest of the request.
  if (token) {
    url.searchParams.set("resumptionToken", token);
    return url;
  }
  url.searchParams.set("metadataPrefix", "arXiv");
  url.searchParams.set("from", request.from);
  if (request.until) url.searchParams.set("until", request.until);
  if (request.set) url.searchParams.set("set", request.set);
  return url;
}

function savedToken(resumeFrom: string | null | undefined): string | null {
  if (!resumeFrom) return null;
  const saved = JSON.parse(resumeFrom) as Partial<OaiResume>;
  return typeof saved.token === "string" ? saved.token : null;
}

/**
 * Harvests arXiv records with OAI-PMH ListRecords (metadataPrefix=arXiv), page by page along
 * the resumption tokens. Each item carries the token to resume from, so an interrupted harvest
 * restarts at the page it had not finished; a saved token the server no longer knows (they
 * expire) restarts the harvest from the beginning, which is safe as storing is idempotent.
 */
export async function* harvestOai(options: OaiHarvestOptions): AsyncGenerator<SourceItem> {
  let token = savedToken(options.resumeFrom);
  let resumed = token !== null;
  if (resumed)
    options.http?.onNotice?.(`resuming an interrupted harvest at resumption token ${token}; pages count from there`);
  let seen = 0;
  for (let page = 1; ; page += 1) {
    const url = pageUrl(options, token);
    let parsed: ReturnType<typeof parseOaiPage>;
    try {
      parsed = parseOaiPage(await fetchText(url, options.http));
    } catch (error) {
      if (error instanceof OaiProtocolError && error.code === "badResumptionToken" && resumed) {
        options.http?.onNotice?.(`the saved resumption token has expired; harvesting again from ${options.from}`);
        token = null;
        resumed = false;
        continue;
      }
      if (error instanceof RemoteSourceError) throw error;
      throw new RemoteSourceError(`page ${page} (${url.href}): ${(error as Error).message}`);
    }
    resumed = false;
    const thisPage = JSON.stringify({ token } satisfies OaiResume);
    const nextPage = JSON.stringify({ token: parsed.resumptionToken } satisfies OaiResume);
    const first = parsed.cursor ?? seen;
    for (const [index, entry] of parsed.entries.entries()) {
      const last = index === parsed.entries.length - 1;
      const position = {
        where: `OAI page ${page} record ${index + 1}${entry.identifier ? ` (${entry.identifier})` : ""}`,
        // Until the page's last record is stored, a restart must fetch this page again.
        resume: last ? nextPage : thisPage,
        flush: last,
        done: first + index + 1,
        total: parsed.completeListSize,
      };
      yield "record" in entry ? { record: entry.record, position } : { error: entry.error, position };
    }
    seen = first + parsed.entries.length;
    if (!parsed.resumptionToken) return;
    token = parsed.resumptionToken;
  }
}
