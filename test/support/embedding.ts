import { embedPapers, trainBuiltinEmbedder } from "../../src/search/indexing.ts";
import type { Store } from "../../src/store/index.ts";

/** What `paperboy embed` does on a fresh database: train the built-in model, then give every paper a vector. */
export async function embedWithBuiltinModel(store: Store): Promise<void> {
  await embedPapers(store, await trainBuiltinEmbedder(store));
}
