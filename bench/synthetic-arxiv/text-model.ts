/**
 * The statistics the synthetic arXiv generator draws from, learned from real metadata by
 * `learn.ts` and committed as `model.json.gz`, so generating never needs the real corpus.
 */
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** Successors of one token: token indexes, their counts, and the count of all other successors. */
export interface BigramRow {
  next: number[];
  counts: number[];
  rest: number;
}

export interface TextModel {
  version: 1;
  /** Where the model came from and how much of it there was. */
  source: { file: string; papers: number; tokens: number; distinctTokens: number };
  /** Tokens, most frequent first; indexes below refer to this list. */
  vocabulary: string[];
  /** How often each vocabulary token occurs in abstracts and in titles. */
  abstractCounts: number[];
  titleCounts: number[];
  /** Occurrences of tokens outside the vocabulary, in abstracts and titles (the Zipfian tail). */
  abstractRare: number;
  titleRare: number;
  /** Bigram rows keyed by the previous token's index (special tokens included). */
  abstractBigrams: Record<string, BigramRow>;
  titleBigrams: Record<string, BigramRow>;
  /** Histograms: index = length in tokens (abstracts in bins of `abstractBin`), value = papers. */
  titleLengths: number[];
  abstractLengths: number[];
  abstractBin: number;
  /** index = number of authors (capped; the last bin holds the larger counts), value = papers. */
  authorCounts: number[];
  /** Inline TeX fragments seen in abstracts, with counts; share of abstracts that hold one. */
  math: [string, number][];
  mathShare: number;
  firstNames: [string, number][];
  lastNames: [string, number][];
  /** Share of papers with an author comment. */
  commentShare: number;
  /** index = number of categories, value = papers. */
  categoryCounts: number[];
}

/** Special tokens; their indexes follow the vocabulary's. */
export const SENTENCE_START = "<s>";
export const MATH = "<math>";
export const RARE = "<rare>";
export const specialTokens = [SENTENCE_START, MATH, RARE] as const;

export const defaultModelFile = path.join(import.meta.dirname, "model.json.gz");

export function readTextModel(file = defaultModelFile): TextModel {
  if (!fs.existsSync(file)) {
    throw new Error(
      `the generator's model ${file} is missing: rebuild it with npm run gen:arxiv -- --learn ../shared/data/arxiv/papers.jsonl.gz`,
    );
  }
  const model = JSON.parse(gunzipSync(fs.readFileSync(file)).toString("utf8")) as TextModel;
  if (model.version !== 1)
    throw new Error(`${file} is a version ${model.version} model; this generator reads version 1`);
  return model;
}

/**
 * Words, numbers, punctuation and the usual abbreviations, in the order they appear. TeX math
 * is cut out beforehand (see `splitMath`).
 */
export const tokenPattern =
  /e\.g\.|i\.e\.|et al\.|etc\.|vs\.|[\p{L}\p{N}](?:[\p{L}\p{N}'’-]*[\p{L}\p{N}])?|[.,;:()?!%/]/gu;

/** Text with its `$…$` fragments replaced by the MATH token, and the fragments. */
export function splitMath(text: string): { text: string; fragments: string[] } {
  const fragments: string[] = [];
  const replaced = text.replace(/\$[^$]{1,200}\$/g, (fragment) => {
    fragments.push(fragment);
    return ` ${MATH} `;
  });
  return { text: replaced, fragments };
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const part of text.split(MATH)) {
    if (tokens.length > 0) tokens.push(MATH);
    for (const match of part.matchAll(tokenPattern)) tokens.push(match[0]);
  }
  return tokens;
}

const closing = new Set([".", ",", ";", ":", ")", "?", "!", "%", "/"]);

/** Joins tokens back into text: no space before closing punctuation or after an opening bracket. */
export function detokenize(tokens: string[]): string {
  let out = "";
  let previous = "";
  for (const token of tokens) {
    out += out === "" || closing.has(token) || previous === "(" || previous === "/" ? token : ` ${token}`;
    previous = token;
  }
  return out;
}
