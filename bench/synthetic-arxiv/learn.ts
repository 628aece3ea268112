/**
 * Learns the generator's text model from real arXiv metadata in Paperboy's listing format (the
 * shared 75k corpus): vocabulary and word frequencies, bigrams of abstracts and of titles,
 * length histograms, author counts and names, TeX fragments. Run offline; the result is
 * committed as model.json.gz.
 */
import fs from "node:fs";
import readline from "node:readline";
import { createGunzip, gzipSync } from "node:zlib";
import { type BigramRow, MATH, RARE, SENTENCE_START, splitMath, type TextModel, tokenize } from "./text-model.ts";

export interface LearnOptions {
  /** Tokens kept in the vocabulary; the rest become the generator's synthetic tail. */
  vocabulary: number;
  /**
   * Previous tokens that get a bigram row, and successors kept over all rows: shared in proportion
   * to the square root of each row's count, so frequent words keep their long lists of successors.
   */
  abstractContexts: number;
  abstractSuccessors: number;
  titleContexts: number;
  titleSuccessors: number;
  firstNames: number;
  lastNames: number;
}

export const defaultLearnOptions: LearnOptions = {
  vocabulary: 24000,
  abstractContexts: 8000,
  abstractSuccessors: 300000,
  titleContexts: 3000,
  titleSuccessors: 60000,
  firstNames: 4000,
  lastNames: 8000,
};

const ABSTRACT_BIN = 10;
const MAX_AUTHORS_BIN = 60;

interface Listing {
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  comment: string | null;
}

async function* listings(file: string): AsyncGenerator<Listing> {
  const input = fs.createReadStream(file);
  const text = file.endsWith(".gz") ? input.pipe(createGunzip()) : input;
  for await (const line of readline.createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim()) yield JSON.parse(line) as Listing;
  }
}

function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function histogramAdd(histogram: number[], index: number): void {
  while (histogram.length <= index) histogram.push(0);
  histogram[index] = (histogram[index] ?? 0) + 1;
}

function topEntries<K>(map: Map<K, number>, limit: number): [K, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, limit);
}

const MAX_SUCCESSORS = 600;

/** Bigram rows for the `contexts` most frequent previous tokens, sharing `successors` between them. */
function bigramRows(
  pairs: Map<string, Map<string, number>>,
  index: Map<string, number>,
  contexts: number,
  successors: number,
): Record<string, BigramRow> {
  const totals = [...pairs.entries()].map(([prev, next]) => {
    let total = 0;
    for (const n of next.values()) total += n;
    return { prev, next, total };
  });
  totals.sort((a, b) => b.total - a.total);
  const chosen = totals.slice(0, contexts);
  const weight = chosen.reduce((sum, c) => sum + Math.sqrt(c.total), 0);
  const rows: Record<string, BigramRow> = {};
  for (const { prev, next, total } of chosen) {
    const prevIndex = index.get(prev);
    if (prevIndex === undefined) continue;
    const share = Math.max(4, Math.min(MAX_SUCCESSORS, Math.round((successors * Math.sqrt(total)) / weight)));
    const kept = topEntries(next, share);
    const row: BigramRow = { next: [], counts: [], rest: total };
    for (const [token, count] of kept) {
      const nextIndex = index.get(token);
      if (nextIndex === undefined) continue;
      row.next.push(nextIndex);
      row.counts.push(count);
      row.rest -= count;
    }
    rows[prevIndex] = row;
  }
  return rows;
}

export async function learnTextModel(file: string, options = defaultLearnOptions): Promise<TextModel> {
  const abstractTokens = new Map<string, number>();
  const titleTokens = new Map<string, number>();
  const abstractSequences: string[][] = [];
  const titleSequences: string[][] = [];
  const titleLengths: number[] = [];
  const abstractLengths: number[] = [];
  const authorCounts: number[] = [];
  const categoryCounts: number[] = [];
  const math = new Map<string, number>();
  const firstNames = new Map<string, number>();
  const lastNames = new Map<string, number>();
  let papers = 0;
  let withMath = 0;
  let withComment = 0;

  for await (const paper of listings(file)) {
    papers += 1;
    const split = splitMath(paper.abstract);
    if (split.fragments.length) withMath += 1;
    for (const fragment of split.fragments) if (fragment.length <= 40) increment(math, fragment);
    const abstract = tokenize(split.text);
    const title = tokenize(splitMath(paper.title).text);
    for (const t of abstract) increment(abstractTokens, t);
    for (const t of title) increment(titleTokens, t);
    abstractSequences.push(abstract);
    titleSequences.push(title);
    histogramAdd(titleLengths, title.length);
    histogramAdd(abstractLengths, Math.floor(abstract.length / ABSTRACT_BIN));
    histogramAdd(authorCounts, Math.min(paper.authors.length, MAX_AUTHORS_BIN));
    histogramAdd(categoryCounts, paper.categories.length);
    if (paper.comment) withComment += 1;
    for (const name of paper.authors) {
      const parts = name.split(" ").filter(Boolean);
      const last = parts.pop();
      if (!last || parts.length === 0) continue;
      increment(lastNames, last);
      increment(firstNames, parts.join(" "));
    }
  }

  const all = new Map(abstractTokens);
  for (const [t, n] of titleTokens) increment(all, t, n);
  const vocabulary = topEntries(all, options.vocabulary)
    .filter(([t]) => t !== MATH)
    .map(([t]) => t);
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const specialIndex = (token: string) => vocabulary.length + [SENTENCE_START, MATH, RARE].indexOf(token);
  for (const token of [SENTENCE_START, MATH, RARE]) index.set(token, specialIndex(token));
  const known = (t: string) => (index.has(t) ? t : RARE);

  const countPairs = (sequences: string[][]) => {
    const pairs = new Map<string, Map<string, number>>();
    for (const sequence of sequences) {
      let prev = SENTENCE_START;
      for (const raw of sequence) {
        const token = known(raw);
        const next = pairs.get(prev) ?? new Map<string, number>();
        pairs.set(prev, next);
        increment(next, token);
        prev = token === "." ? SENTENCE_START : token;
      }
    }
    return pairs;
  };
  const rareCount = (counts: Map<string, number>) => {
    let rare = 0;
    for (const [t, n] of counts) if (!index.has(t)) rare += n;
    return rare;
  };

  let tokens = 0;
  for (const n of all.values()) tokens += n;
  return {
    version: 1,
    source: { file: file.split("/").slice(-2).join("/"), papers, tokens, distinctTokens: all.size },
    vocabulary,
    abstractCounts: vocabulary.map((t) => abstractTokens.get(t) ?? 0),
    titleCounts: vocabulary.map((t) => titleTokens.get(t) ?? 0),
    abstractRare: rareCount(abstractTokens),
    titleRare: rareCount(titleTokens),
    abstractBigrams: bigramRows(
      countPairs(abstractSequences),
      index,
      options.abstractContexts,
      options.abstractSuccessors,
    ),
    titleBigrams: bigramRows(countPairs(titleSequences), index, options.titleContexts, options.titleSuccessors),
    titleLengths,
    abstractLengths,
    abstractBin: ABSTRACT_BIN,
    authorCounts,
    math: topEntries(math, 300),
    mathShare: withMath / papers,
    firstNames: topEntries(firstNames, options.firstNames),
    lastNames: topEntries(lastNames, options.lastNames),
    commentShare: withComment / papers,
    categoryCounts,
  };
}

export async function writeTextModel(model: TextModel, file: string): Promise<void> {
  fs.writeFileSync(file, gzipSync(JSON.stringify(model), { level: 9 }));
}
