import { stemmer } from "stemmer";

/**
 * Words as every part of search sees them: lower-cased runs of letters and digits, so the
 * query parser, the highlighter and the built-in embedder agree with each other.
 */
const wordPattern = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(wordPattern) ?? [];
}

/** Each word with where it starts and ends in the original text, for highlighting. */
export function wordSpans(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(wordPattern)].map((m) => ({
    word: m[0].toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

const stems = new Map<string, string>();
/** Enough for the distinct words of a large corpus; the memo starts over beyond it. */
const STEMS_REMEMBERED = 200_000;

/**
 * Porter stem, the same algorithm as SQLite's porter tokenizer and PostgreSQL's english snowball.
 * Remembered, since highlighting stems every word of each result's abstract.
 */
export function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    if (stems.size >= STEMS_REMEMBERED) stems.clear();
    stemmed = stemmer(word);
    stems.set(word, stemmed);
  }
  return stemmed;
}

// Words too common to tell papers apart: dropped from ranked free text (they would match
// almost every paper and slow the query) but kept inside phrases, where their order matters.
export const stopwords = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both " +
    "but by can could did do does doing down during each few for from further had has have having he her here hers " +
    "him his how i if in into is it its itself just me more most my no nor not of off on once only or other our ours " +
    "out over own same she should so some such than that the their theirs them then there these they this those " +
    "through to too under until up very was we were what when where which while who whom why will with would you your"
  ).split(" "),
);
