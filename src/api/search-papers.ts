import { arxivIdFromText } from "../ingest/arxiv-id.ts";
import { parseQuery } from "../search/query.ts";
import type { Paper, Store } from "../store/index.ts";

export const MAX_QUERY_LENGTH = 250;

/**
 * The one search every API surface (HTTP and MCP) uses: an arXiv id or link goes straight to
 * its paper, anything else is a keyword search, best first. The hybrid (keyword + semantic)
 * ranking replaces the body of this function; callers stay as they are.
 */
export async function searchPapers(store: Store, text: string, limit: number): Promise<Paper[]> {
  const jump = arxivIdFromText(text);
  if (jump) {
    const paper = await store.papers.get(jump.id);
    if (paper) return [paper];
  }
  const { hits } = await store.search.keyword(parseQuery(text).query, { limit });
  return store.papers.getMany(hits.map((hit) => hit.id));
}
