/**
 * `npm run gen:arxiv -- --papers N --seed S --out FILE[.gz]` writes a synthetic arXiv in the Kaggle
 * snapshot's JSON-lines shape, for `paperboy ingest file`. `--learn CORPUS` rebuilds the committed
 * text model from real metadata in Paperboy's listing format (../shared/data/arxiv/papers.jsonl.gz).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeSyntheticArxiv } from "./generate.ts";
import { defaultLearnOptions, learnTextModel, writeTextModel } from "./learn.ts";
import { defaultModelFile } from "./text-model.ts";

const usage = `Usage: npm run gen:arxiv -- --papers N [--seed S] --out FILE[.gz] [--model FILE]
       npm run gen:arxiv -- --learn CORPUS.jsonl.gz [--model FILE]

Writes N synthetic arXiv papers as Kaggle-snapshot JSON lines (gzipped when FILE ends in .gz),
the same for the same seed (default 1), dated August 1991 to June 2026 as arXiv grew. Load them
with \`paperboy ingest file FILE\`. --learn rebuilds the text model (default ${path.relative(process.cwd(), defaultModelFile)})
from real metadata in Paperboy's listing format.`;

async function main(): Promise<number> {
  let values: Partial<Record<"papers" | "seed" | "out" | "model" | "learn", string>> & { help?: boolean };
  try {
    values = parseArgs({
      options: {
        papers: { type: "string" },
        seed: { type: "string", default: "1" },
        out: { type: "string" },
        model: { type: "string" },
        learn: { type: "string" },
        help: { type: "boolean", default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`gen:arxiv: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (values.learn) {
    if (!fs.existsSync(values.learn)) {
      process.stderr.write(`gen:arxiv: the corpus to learn from, ${values.learn}, is missing\n`);
      return 2;
    }
    const model = await learnTextModel(values.learn, defaultLearnOptions);
    await writeTextModel(model, values.model ?? defaultModelFile);
    process.stderr.write(`learned from ${model.source.papers} papers into ${values.model ?? defaultModelFile}\n`);
    return 0;
  }
  const papers = Number(values.papers);
  const seed = Number(values.seed ?? "1");
  if (!values.papers || !Number.isInteger(papers) || papers < 1 || papers > 10_000_000) {
    process.stderr.write(`gen:arxiv: --papers "${values.papers ?? ""}" must be a whole number from 1 to 10000000\n`);
    return 2;
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    process.stderr.write(`gen:arxiv: --seed "${values.seed}" must be a whole number from 0 to 4294967295\n`);
    return 2;
  }
  if (!values.out) {
    process.stderr.write(`gen:arxiv: --out FILE is required\n\n${usage}\n`);
    return 2;
  }
  const started = Date.now();
  let lastReport = 0;
  await writeSyntheticArxiv(values.out, { papers, seed, model: values.model }, (written) => {
    if (Date.now() - lastReport < 5000 && written < papers) return;
    lastReport = Date.now();
    const rate = Math.round(written / Math.max(0.001, (Date.now() - started) / 1000));
    process.stderr.write(
      `gen:arxiv: ${written.toLocaleString("en-US")} / ${papers.toLocaleString("en-US")} papers, ${rate.toLocaleString("en-US")} papers/s\n`,
    );
  });
  return 0;
}

process.exitCode = await main();
