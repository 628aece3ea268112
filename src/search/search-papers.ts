import type { Paper } from "../papers/paper.ts";
import type { Store } from "../store/index.ts";
import type { Embedder } from "./embedders/index.ts";
import { search } from "./index.ts";

export const MAX_QUERY_LENGTH = 250;

/**
 * The one search every API surface (HTTP and MCP) uses: the search box's, hybrid by default.
 * An arXiv id or link in this archive gives just that paper.
 */
export async function searchPapers(
  store: Store,
  text: string,
  limit: number,
  embedder: Embedder | undefined,
): Promise<Paper[]> {
  const outcome = await search(store, text, { limit, embedder });
  if (outcome.kind === "results") return outcome.hits.map((hit) => hit.paper);
  const paper = await store.papers.get(outcome.id);
  return paper ? [paper] : [];
}
