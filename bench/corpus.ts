/** Where the benchmark's papers come from: a synthetic arXiv made once per size and seed, kept under data/bench/. */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./processes.ts";
import { writeSyntheticArxiv } from "./synthetic-arxiv/generate.ts";

export interface Corpus {
  file: string;
  papers: number;
  /** Size of its JSON lines, uncompressed. */
  bytes: number;
  description: string;
}

/** The synthetic corpus of `papers` papers for `seed`, generated on first use. */
export async function syntheticCorpus(papers: number, seed: number): Promise<Corpus> {
  const dir = path.join(repoRoot, "data", "bench");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `synthetic-arxiv-${papers}-seed${seed}.jsonl.gz`);
  const sidecar = `${file}.json`;
  if (!fs.existsSync(sidecar)) {
    process.stderr.write(
      `bench: generating ${papers.toLocaleString("en-US")} synthetic papers (seed ${seed}) into ${file}\n`,
    );
    const bytes = await writeSyntheticArxiv(file, { papers, seed });
    fs.writeFileSync(sidecar, JSON.stringify({ papers, seed, bytes }));
  }
  const { bytes } = JSON.parse(fs.readFileSync(sidecar, "utf8")) as { bytes: number };
  return { file, papers, bytes, description: `synthetic arXiv (npm run gen:arxiv), ${papers} papers, seed ${seed}` };
}

/**
 * The shared data directory (arXiv, LitSearch, SciFact): PAPERBOY_SHARED_DATA, or the first
 * `shared/data` found walking up from the repository; null when there is none.
 */
export function sharedDataDir(): string | null {
  const given = process.env.PAPERBOY_SHARED_DATA;
  if (given) return fs.existsSync(given) ? given : null;
  for (let dir = repoRoot; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "data");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}
