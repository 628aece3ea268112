import type { Store } from "../store/index.ts";
import type { CellsProgress } from "../store/vector-cells.ts";
import { alignProjection } from "./embedders/alignment.ts";
import { BuiltinEmbedder, builtinModelName, encodeLsaModel, sparseText, trainLsa } from "./embedders/builtin.ts";
import { type Embedder, paperText } from "./embedders/embedder.ts";

/** Training the built-in model, papers embedded so far, then (when the collection has grown enough) the vector index being rebuilt. */
export interface EmbedProgress {
  step: "aligning titles with abstracts" | "embedding papers" | CellsProgress["step"];
  done: number;
  total: number;
}

// LSA learns word co-occurrence well from a sample; past this many papers training only gets slower.
const MAX_TRAINING_PAPERS = 30000;
// Title–abstract pairs the projection is then trained on: one pass over a corpus up to this size.
const MAX_ALIGNMENT_PAIRS = 100000;
const PAGE = 2000;

/** Every `step`-th paper of the store, in key order. */
async function samplePapers(store: Store, step: number): Promise<{ title: string; abstract: string }[]> {
  const out: { title: string; abstract: string }[] = [];
  let seen = 0;
  for (let after = 0; ; ) {
    const page = await store.vectors.paperTexts(after, PAGE);
    if (page.length === 0) break;
    for (const paper of page) if (seen++ % step === 0) out.push(paper);
    after = page.at(-1)?.pk ?? after;
  }
  return out;
}

/**
 * Trains the built-in model on the papers in the store and saves it there: LSA on an even
 * sample, then the projection aligned on the papers' titles and abstracts.
 */
export async function trainBuiltinEmbedder(
  store: Store,
  options: { rank?: number; onProgress?: (progress: EmbedProgress) => void } = {},
): Promise<BuiltinEmbedder> {
  const total = await store.papers.count();
  const documents = (await samplePapers(store, Math.max(1, Math.ceil(total / MAX_TRAINING_PAPERS)))).map(paperText);
  if (documents.length < 2) throw new Error("there are no papers to learn from yet: ingest some first");
  const lsa = trainLsa(documents, { rank: Math.min(options.rank ?? 256, documents.length - 1) });
  const pairs = (await samplePapers(store, Math.max(1, Math.ceil(total / MAX_ALIGNMENT_PAIRS))))
    .map((p) => ({ query: sparseText(lsa, p.title), document: sparseText(lsa, p.abstract) }))
    .filter((p) => p.query.columns.length > 0 && p.document.columns.length > 0);
  const batchSize = Math.min(256, pairs.length);
  const projection =
    batchSize >= 2
      ? alignProjection(lsa, pairs, {
          batchSize,
          onProgress: (done, steps) =>
            options.onProgress?.({ step: "aligning titles with abstracts", done, total: steps }),
        })
      : lsa.projection;
  const model = { ...lsa, projection };
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
  // New vectors change the similar papers that kept paper pages and lists show.
  if (done > 0) await store.dataVersion.bump();
  return { done, total };
}
