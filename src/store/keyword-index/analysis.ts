import { stem, stopStems, words } from "../../papers/words.ts";
import { ABSTRACT_UNIT, AUTHORS_UNIT, TITLE_UNIT } from "./postings.ts";

/** A paper's text as the keyword index records it. */
export interface AnalyzedPaper {
  /** Words in all fields, stop words included (bm25's document length, as FTS5 counts it). */
  length: number;
  /** Each indexed term (a stem that is not a stop word's) with its counts in the fields, packed (see postings.ts). */
  terms: Map<string, number>;
}

/** Each word's term, or null for a stop word; remembered, as the same words recur in every paper. */
const termOfWord = new Map<string, string | null>();
const TERMS_REMEMBERED = 200_000;

function termOf(word: string): string | null {
  let term = termOfWord.get(word);
  if (term === undefined) {
    const stemmed = stem(word);
    term = stopStems.has(stemmed) ? null : stemmed;
    if (termOfWord.size >= TERMS_REMEMBERED) termOfWord.clear();
    // A flat copy of the word as key, so the memo does not keep the paper's whole text alive.
    termOfWord.set(word.length > 12 ? Buffer.from(word).toString() : word, term);
  }
  return term;
}

export function analyzePaper(paper: { title: string; abstract: string; author_names: string }): AnalyzedPaper {
  const terms = new Map<string, number>();
  let length = 0;
  const add = (text: string, unit: number) => {
    for (const word of words(text)) {
      length++;
      const term = termOf(word);
      if (term !== null) terms.set(term, (terms.get(term) ?? 0) + unit);
    }
  };
  add(paper.title, TITLE_UNIT);
  add(paper.abstract, ABSTRACT_UNIT);
  add(paper.author_names, AUTHORS_UNIT);
  return { length, terms };
}
