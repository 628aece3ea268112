/**
 * `npx tsx bench/synthetic-arxiv/compare.ts FILE...`: the statistics the generator is meant to
 * follow, side by side for real and synthetic files (any format `paperboy ingest file` reads),
 * as Paperboy's own parser sees them. docs/synthetic-arxiv.md quotes its output.
 */
import { readJsonLines } from "../../src/ingest/file-source.ts";
import { splitMath, tokenize } from "./text-model.ts";

export interface CorpusStats {
  papers: number;
  titleTokens: { mean: number; p50: number; p90: number };
  abstractTokens: { mean: number; p50: number; p90: number };
  /** Distinct tokens of titles and abstracts, and the share of all tokens the 100 most frequent make up. */
  distinctTokens: number;
  top100Share: number;
  /** Tokens seen once. */
  hapaxShare: number;
  authorsPerPaper: { mean: number; p50: number; p99: number; max: number };
  distinctAuthors: number;
  authorsWithOnePaper: number;
  mostPapersByOneAuthor: number;
  categoriesPerPaper: number;
  topPrimaryArchives: [string, number][];
  withComment: number;
  withMath: number;
  years: [string, number][];
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  return { sorted, mean: Math.round(mean * 10) / 10 };
}

export async function corpusStats(file: string): Promise<CorpusStats> {
  const titleLengths: number[] = [];
  const abstractLengths: number[] = [];
  const authorCounts: number[] = [];
  const tokens = new Map<string, number>();
  const authors = new Map<string, number>();
  const archives = new Map<string, number>();
  const years = new Map<string, number>();
  let categories = 0;
  let withComment = 0;
  let withMath = 0;
  for await (const item of readJsonLines(file)) {
    if (!("record" in item)) continue;
    const paper = item.record;
    const split = splitMath(paper.abstract ?? "");
    if (split.fragments.length) withMath += 1;
    const title = tokenize(paper.title ?? "");
    const abstract = tokenize(split.text);
    titleLengths.push(title.length);
    abstractLengths.push(abstract.length);
    for (const t of [...title, ...abstract]) tokens.set(t, (tokens.get(t) ?? 0) + 1);
    authorCounts.push(paper.authors?.length ?? 0);
    for (const a of new Set(paper.authors?.map((x) => x.name))) authors.set(a, (authors.get(a) ?? 0) + 1);
    const primary = paper.categories?.[0] ?? "";
    const archive = primary.split(".")[0] ?? primary;
    archives.set(archive, (archives.get(archive) ?? 0) + 1);
    categories += paper.categories?.length ?? 0;
    if (paper.comment) withComment += 1;
    const year = (paper.publishedAt ?? "").slice(0, 4);
    years.set(year, (years.get(year) ?? 0) + 1);
  }
  const papers = titleLengths.length;
  const title = summary(titleLengths);
  const abstract = summary(abstractLengths);
  const authorStats = summary(authorCounts);
  const counts = [...tokens.values()].sort((a, b) => b - a);
  const allTokens = counts.reduce((s, c) => s + c, 0);
  const perAuthor = [...authors.values()].sort((a, b) => b - a);
  const share = (n: number) => Math.round((n / papers) * 1000) / 1000;
  return {
    papers,
    titleTokens: { mean: title.mean, p50: quantile(title.sorted, 0.5), p90: quantile(title.sorted, 0.9) },
    abstractTokens: { mean: abstract.mean, p50: quantile(abstract.sorted, 0.5), p90: quantile(abstract.sorted, 0.9) },
    distinctTokens: tokens.size,
    top100Share: Math.round((counts.slice(0, 100).reduce((s, c) => s + c, 0) / allTokens) * 1000) / 1000,
    hapaxShare: Math.round((counts.filter((c) => c === 1).length / tokens.size) * 1000) / 1000,
    authorsPerPaper: {
      mean: authorStats.mean,
      p50: quantile(authorStats.sorted, 0.5),
      p99: quantile(authorStats.sorted, 0.99),
      max: authorStats.sorted.at(-1) ?? 0,
    },
    distinctAuthors: authors.size,
    authorsWithOnePaper: Math.round((perAuthor.filter((c) => c === 1).length / authors.size) * 1000) / 1000,
    mostPapersByOneAuthor: perAuthor[0] ?? 0,
    categoriesPerPaper: Math.round((categories / papers) * 100) / 100,
    topPrimaryArchives: [...archives.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([a, n]) => [a, share(n)]),
    withComment: share(withComment),
    withMath: share(withMath),
    years: [...years.entries()].sort().map(([y, n]) => [y, n]),
  };
}

if (process.argv[1]?.endsWith("compare.ts")) {
  for (const file of process.argv.slice(2)) {
    process.stdout.write(`${file}\n${JSON.stringify(await corpusStats(file), null, 1)}\n`);
  }
}
