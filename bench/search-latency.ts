/**
 * `npx tsx bench/search-latency.ts [--rounds N]`: search latency on the database DATABASE_URL
 * names, which should hold a real corpus (e.g. the 75k arXiv papers) already embedded with
 * `paperboy embed`. Prints p50/p95/max per mode over a fixed set of reader-like queries.
 * A script, not a test: timings depend on the machine and what else it is doing.
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/index.ts";
import { type SearchMode, search, searchModes } from "../src/search/index.ts";
import { Store } from "../src/store/index.ts";

const queries = [
  "large-scale pretraining data filtering",
  "diffusion models for video generation",
  "reinforcement learning from human feedback",
  "retrieval augmented generation",
  "mixture of experts routing",
  "graph neural networks molecules",
  "speculative decoding",
  "vision language models hallucination",
  "protein structure prediction",
  "quantization of large language models",
  "attention is all you need",
  "chain of thought reasoning",
  "neural radiance fields",
  "federated learning privacy",
  "dark matter halo simulations",
  "black hole",
  "author:hinton",
  '"language model" cat:cs.CL after:2024',
  "transformers -vision",
  "title:benchmark code generation",
  "the",
  "a survey of deep learning methods for medical image segmentation",
  "low-rank adaptation fine-tuning",
  "contrastive learning",
  "robot manipulation policies from demonstrations",
  "LLM agents tool use",
  "state space models mamba",
  "sparse autoencoders interpretability",
  "galaxy clusters weak lensing",
  "time series forecasting",
];

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);
const store = await Store.open(loadConfig().database);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
try {
  process.stdout.write(
    `${store.description}: ${(await store.papers.count()).toLocaleString("en-US")} papers, ${queries.length} queries × ${rounds} rounds\n`,
  );
  process.stdout.write(`vectors: ${(await store.vectors.current())?.embedder ?? "none (run paperboy embed)"}\n\n`);
  for (const mode of searchModes as SearchMode[]) {
    for (const q of queries) await search(store, q, { mode, limit: 20 }); // warm caches and the model
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const q of queries) {
        const started = process.hrtime.bigint();
        await search(store, q, { mode, limit: 20 });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    times.sort((a, b) => a - b);
    process.stdout.write(
      `${mode.padEnd(9)} p50 ${percentile(times, 0.5).toFixed(1)} ms   p95 ${percentile(times, 0.95).toFixed(1)} ms   max ${percentile(times, 1).toFixed(1)} ms\n`,
    );
  }
} finally {
  await store.close();
}
