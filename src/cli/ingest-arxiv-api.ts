import { DEFAULT_ARXIV_API_ENDPOINT, searchArxivApi } from "../ingest/arxiv-api-source.ts";
import { integerOption, parseCommandArgs, UsageError, urlOption } from "./command.ts";
import type { IngestSourceCommand } from "./ingest.ts";

const DEFAULT_MAX = 100;

export const arxivApiSource: IngestSourceCommand = {
  name: "arxiv-api",
  usage: 'paperboy ingest arxiv-api --query "QUERY" [--max N] [--endpoint URL]',
  summary: `results of an arXiv API search (search_query syntax, e.g. "cat:cs.CL AND ti:retrieval"), ${DEFAULT_MAX} unless --max says otherwise, paged with a 3 s pause between calls as arXiv asks (endpoint defaults to ${DEFAULT_ARXIV_API_ENDPOINT})`,
  async open(args) {
    const { values } = parseCommandArgs(
      args,
      { query: { type: "string" }, max: { type: "string" }, endpoint: { type: "string" } },
      false,
    );
    const query = values.query?.trim();
    if (!query) throw new UsageError('ingest arxiv-api needs --query "…", e.g. --query "cat:cs.CL"');
    return {
      items: searchArxivApi({
        endpoint: urlOption(values.endpoint, "endpoint") ?? DEFAULT_ARXIV_API_ENDPOINT,
        query,
        max: integerOption(values.max, "max", 1) ?? DEFAULT_MAX,
        http: { onNotice: (message) => process.stderr.write(`ingest arxiv-api: ${message}\n`) },
      }),
    };
  },
};
