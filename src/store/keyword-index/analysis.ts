import { stem, stopStems, words } from "../../papers/words.ts";
import { ABSTRACT_UNIT, AUTHORS_UNIT, grown, type PostingColumns, TITLE_UNIT } from "./postings.ts";

/** A paper's text as the keyword index records it. */
export interface AnalyzedPaper {
  /** Words in all fields, stop words included (bm25's document length, as FTS5 counts it). */
  length: number;
  /** Each indexed term (a stem that is not a stop word's) with its counts in the fields, packed (see postings.ts). */
  terms: Map<string, number>;
}

/** The indexed text of a paper. */
export interface PaperText {
  title: string;
  abstract: string;
  author_names: string;
}

const WORDS_REMEMBERED = 200_000;

/**
 * Words seen and the terms they give, numbered: the same words recur in every paper, so each is
 * stemmed once and a paper's terms are counted in an array by number instead of a map by text.
 * When full, a new vocabulary replaces it for the next users; one in use is never changed.
 */
class Vocabulary {
  /** Each word's term number, or -1 for a stop word. */
  private readonly termOfWord = new Map<string, number>();
  private readonly numbers = new Map<string, number>();
  readonly terms: string[] = [];

  get full(): boolean {
    return this.termOfWord.size >= WORDS_REMEMBERED;
  }

  termOf(word: string): number {
    let term = this.termOfWord.get(word);
    if (term === undefined) {
      const stemmed = stem(word);
      if (stopStems.has(stemmed)) {
        term = -1;
      } else {
        term = this.numbers.get(stemmed);
        if (term === undefined) {
          term = this.terms.length;
          this.terms.push(stemmed);
          this.numbers.set(stemmed, term);
        }
      }
      // A flat copy of the word as key, so the memo does not keep the paper's whole text alive.
      this.termOfWord.set(word.length > 12 ? Buffer.from(word).toString() : word, term);
    }
    return term;
  }
}

let shared = new Vocabulary();
function vocabulary(): Vocabulary {
  if (shared.full) shared = new Vocabulary();
  return shared;
}

/**
 * Counts a paper's terms: `each(term, packed)` for every term with its packed field counts, in
 * the order first seen. `counts` is zero for every term number, and left so. Returns the length.
 */
function countTerms(
  known: Vocabulary,
  paper: PaperText,
  counts: Float64Array,
  seen: number[],
  each: (term: number, packed: number) => void,
): number {
  let length = 0;
  const add = (text: string, unit: number) => {
    for (const word of words(text)) {
      length++;
      const term = known.termOf(word);
      if (term < 0) continue;
      if (counts[term] === 0) seen.push(term);
      counts[term] = (counts[term] as number) + unit;
    }
  };
  add(paper.title, TITLE_UNIT);
  add(paper.abstract, ABSTRACT_UNIT);
  add(paper.author_names, AUTHORS_UNIT);
  for (const term of seen) {
    each(term, counts[term] as number);
    counts[term] = 0;
  }
  seen.length = 0;
  return length;
}

/** Room in `counts` for every term a paper can bring: at most one new term per character. */
const roomFor = (counts: Float64Array, known: Vocabulary, paper: PaperText) =>
  grown(counts, known.terms.length + paper.title.length + paper.abstract.length + paper.author_names.length);

let analyzed: Float64Array = new Float64Array(1024);

export function analyzePaper(paper: PaperText): AnalyzedPaper {
  const known = vocabulary();
  const terms = new Map<string, number>();
  analyzed = roomFor(analyzed, known, paper);
  const length = countTerms(known, paper, analyzed, [], (term, packed) =>
    terms.set(known.terms[term] as string, packed),
  );
  return { length, terms };
}

/**
 * A new segment's postings, built from its papers' text in flat arrays (one entry per paper and
 * term) rather than a list per term: papers are added in increasing key order, and `lists`
 * hands out each term's postings, still in key order, after one counting sort by term.
 */
export class SegmentBuilder {
  private readonly known = vocabulary();
  private counts: Float64Array = new Float64Array(1024);
  private readonly seen: number[] = [];
  private termOfPosting: Int32Array = new Int32Array(1 << 16);
  private pks: Int32Array = new Int32Array(1 << 16);
  private packed: Float64Array = new Float64Array(1 << 16);
  private lengths: Int32Array = new Int32Array(1 << 16);
  private postings = 0;
  papers = 0;
  words = 0;

  /** Adds a paper (keys must increase from one call to the next); returns its length. */
  add(pk: number, paper: PaperText): number {
    this.counts = roomFor(this.counts, this.known, paper);
    const first = this.postings;
    const length = countTerms(this.known, paper, this.counts, this.seen, (term, packed) => {
      const at = this.postings++;
      if (at >= this.pks.length) {
        this.termOfPosting = grown(this.termOfPosting, at + 1);
        this.pks = grown(this.pks, at + 1);
        this.packed = grown(this.packed, at + 1);
        this.lengths = grown(this.lengths, at + 1);
      }
      this.termOfPosting[at] = term;
      this.pks[at] = pk;
      this.packed[at] = packed;
    });
    // Every posting of this paper gets its length once the paper's words are all counted.
    this.lengths.fill(length, first, this.postings);
    this.papers++;
    this.words += length;
    return length;
  }

  /** Each term with its postings in key order, terms in code-unit order. */
  *lists(): Generator<[term: string, postings: PostingColumns]> {
    const n = this.postings;
    const perTerm = new Int32Array(this.known.terms.length + 1);
    for (let i = 0; i < n; i++) {
      const t = (this.termOfPosting[i] as number) + 1;
      perTerm[t] = (perTerm[t] as number) + 1;
    }
    const used: number[] = [];
    for (let t = 0; t < this.known.terms.length; t++) if ((perTerm[t + 1] as number) > 0) used.push(t);
    used.sort((a, b) => {
      const x = this.known.terms[a] as string;
      const y = this.known.terms[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    // Where each term's postings start, in that order; then a stable scatter keeps key order.
    const start = new Int32Array(this.known.terms.length);
    let offset = 0;
    for (const t of used) {
      start[t] = offset;
      offset += perTerm[t + 1] as number;
    }
    const next = start.slice();
    const pks = new Int32Array(n);
    const packed = new Float64Array(n);
    const lengths = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = this.termOfPosting[i] as number;
      const at = next[t] as number;
      next[t] = at + 1;
      pks[at] = this.pks[i] as number;
      packed[at] = this.packed[i] as number;
      lengths[at] = this.lengths[i] as number;
    }
    for (const t of used) {
      const from = start[t] as number;
      const to = from + (perTerm[t + 1] as number);
      yield [
        this.known.terms[t] as string,
        { pks: pks.subarray(from, to), counts: packed.subarray(from, to), lengths: lengths.subarray(from, to) },
      ];
    }
  }
}
