import type { Store } from "../store/index.ts";
import type { CellsProgress } from "../store/vector-cells.ts";
import { BuiltinEmbedder, builtinModelName, encodeLsaModel, trainLsa } from "./embedders/builtin.ts";
import { type Embedder, paperText } from "./embedders/embedder.ts";

/** Papers embedded so far, then (when the collection has grown enough) the vector index being rebuilt. */
export interface EmbedProgress {
  step: "embedding papers" | CellsProgress["step"];
  done: number;
  total: number;
}

// LSA learns word co-occurrence well from a sample; past this many papers training only gets slower.
const MAX_TRAINING_PAPERS = 30000;
const PAGE = 2000;

/** Trains the built-in model on the papers in the store (an even sample of large corpora) and saves it there. */
export async function trainBuiltinEmbedder(store: Store, options: { rank?: number } = {}): Promise<BuiltinEmbedder> {
  const total = await store.papers.count();
  const step = Math.max(1, Math.ceil(total / MAX_TRAINING_PAPERS));
  const documents: string[] = [];
  let seen = 0;
  for (let after = 0; ; ) {
    const page = await store.vectors.paperTexts(after, PAGE);
    if (page.length === 0) break;
    for (const paper of page) if (seen++ % step === 0) documents.push(paperText(paper));
    after = page.at(-1)?.pk ?? after;
  }
  if (documents.length < 2) throw new Error("there are no papers to learn from yet: ingest some first");
  const model = trainLsa(documents, { rank: Math.min(options.rank ?? 256, documents.length - 1) });
  const bytes = encodeLsaModel(model);
  await store.vectors.saveModel(builtinModelName, bytes);
  return new BuiltinEmbedder(model, bytes);
}

/**
 * Gives every paper without a vector one: all papers after a change of embedder, otherwise only
 * new and edited ones, so it is cheap to run after every ingest.
 */
export async function embedPapers(
  store: Store,
  embedder: Embedder,
  options: { batchSize?: number; onProgress?: (progress: EmbedProgress) => void } = {},
): Promise<{ done: number; total: number }> {
  const batchSize = options.batchSize ?? 256;
  const [probe] = await embedder.embed(["dimension probe"], "document");
  await store.vectors.useEmbedder(embedder.id, probe?.length ?? 0);
  const total = await store.vectors.countWithoutVectors();
  let done = 0;
  for (let after = 0; ; ) {
    const papers = await store.vectors.papersWithoutVectors(after, batchSize);
    if (papers.length === 0) break;
    const vectors = await embedder.embed(papers.map(paperText), "document");
    await store.vectors.put(papers.map((p, i) => ({ pk: p.pk, vector: vectors[i] ?? new Float32Array(0) })));
    after = papers.at(-1)?.pk ?? after;
    done += papers.length;
    options.onProgress?.({ step: "embedding papers", done, total });
  }
  await store.vectors.ensureIndex(options.onProgress);
  return { done, total };
}
