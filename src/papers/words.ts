import { droppedInWords, folds, tokenRanges } from "./fts5-characters.ts";

/**
 * Words as SQLite's FTS5 index sees them (tokenizer `porter unicode61 remove_diacritics 2`),
 * reproduced exactly, so that every part of search agrees with it and with one another: the
 * query parser, the keyword index of both databases, highlighting and the built-in embedder.
 * docs/search-quality.md says how this was checked against FTS5 itself.
 */

/** A word of a text, case-folded and without accents, with where it starts and ends (UTF-16 offsets). */
export interface WordSpan {
  word: string;
  start: number;
  end: number;
}

const isAsciiWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function inRanges(ranges: readonly number[], c: number): boolean {
  let low = 0;
  let high = ranges.length / 2 - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (c < (ranges[2 * mid] ?? 0)) high = mid - 1;
    else if (c > (ranges[2 * mid + 1] ?? 0)) low = mid + 1;
    else return true;
  }
  return false;
}

const dropped = new Set(droppedInWords);

/** A non-ASCII code point folded as FTS5 folds it: lower case, accents removed. */
function fold(c: number): number {
  let low = 0;
  let high = folds.length / 4 - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const first = folds[4 * mid] ?? 0;
    const last = folds[4 * mid + 1] ?? 0;
    if (c < first) high = mid - 1;
    else if (c > last) low = mid + 1;
    else return (c - first) % (folds[4 * mid + 2] ?? 1) === 0 ? c + (folds[4 * mid + 3] ?? 0) : c;
  }
  return c;
}

/**
 * Calls `each` for every word of a text, as FTS5's unicode61 tokenizer cuts and folds them:
 * runs of letters and digits, lower-cased, accents removed. Most words are plain ASCII and are
 * sliced from the text as they are (lower-cased when needed); others are folded code point by
 * code point.
 */
function eachWord(text: string, each: (word: string, start: number, end: number) => void): void {
  let start = -1;
  let end = 0;
  let upper = false;
  let folded: string | null = null;
  const finish = () => {
    const word = folded ?? (upper ? text.slice(start, end).toLowerCase() : text.slice(start, end));
    each(word, start, end);
    start = -1;
    upper = false;
    folded = null;
  };
  for (let i = 0; i < text.length; ) {
    const unit = text.charCodeAt(i);
    if (unit < 128) {
      if (isAsciiWordChar(unit)) {
        if (start < 0) start = i;
        if (unit >= 65 && unit <= 90) upper = true;
        if (folded !== null) folded += String.fromCharCode(unit >= 65 && unit <= 90 ? unit + 32 : unit);
        end = i + 1;
      } else if (start >= 0) {
        finish();
      }
      i++;
      continue;
    }
    const code = text.codePointAt(i) ?? unit;
    const size = code > 0xffff ? 2 : 1;
    if (inRanges(tokenRanges, code)) {
      if (start < 0) start = i;
      folded ??= upper ? text.slice(start, i).toLowerCase() : text.slice(start, i);
      folded += String.fromCodePoint(fold(code));
      end = i + size;
    } else if (start >= 0 && dropped.has(code)) {
      folded ??= upper ? text.slice(start, i).toLowerCase() : text.slice(start, i);
      end = i + size;
    } else if (start >= 0) {
      finish();
    }
    i += size;
  }
  if (start >= 0) finish();
}

/** Every word of a text with its span. */
export function wordSpans(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  eachWord(text, (word, start, end) => out.push({ word, start, end }));
  return out;
}

/** The words of a text, case-folded and without accents. */
export function words(text: string): string[] {
  const out: string[] = [];
  eachWord(text, (word) => out.push(word));
  return out;
}

// Porter's stemmer as FTS5's porter tokenizer implements it, on the word's UTF-8 bytes (held
// one byte per character, so a non-ASCII letter counts as consonants, as it does there).

const isVowel = (c: string | undefined, yIsVowel: boolean) =>
  c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || (yIsVowel && c === "y");

/** Where the first vowel-consonant sequence of the stem ends (0: there is none). */
function gobbleVowelConsonant(stem: string, from: number, previousConsonant: boolean): number {
  let consonant = previousConsonant;
  let i = from;
  for (; i < stem.length; i++) {
    consonant = !isVowel(stem[i], consonant);
    if (!consonant) break;
  }
  for (i++; i < stem.length; i++) {
    consonant = !isVowel(stem[i], consonant);
    if (consonant) return i + 1;
  }
  return 0;
}

/** m > 0, m > 1 and m = 1 in Porter's notation (m: the number of vowel-consonant sequences). */
const measureAbove0 = (stem: string) => gobbleVowelConsonant(stem, 0, false) > 0;
function measureAbove1(stem: string): boolean {
  const n = gobbleVowelConsonant(stem, 0, false);
  return n > 0 && gobbleVowelConsonant(stem, n, true) > 0;
}
function measureIs1(stem: string): boolean {
  const n = gobbleVowelConsonant(stem, 0, false);
  return n > 0 && gobbleVowelConsonant(stem, n, true) === 0;
}

/** *o: the stem ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(stem: string): boolean {
  const last = stem.at(-1);
  if (last === "w" || last === "x" || last === "y") return false;
  let mask = 0;
  let consonant = false;
  for (const c of stem) {
    consonant = !isVowel(c, consonant);
    mask = ((mask << 1) + (consonant ? 1 : 0)) & 7;
  }
  return mask === 5;
}

function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (isVowel(stem[i], i > 0)) return true;
  return false;
}

type Condition = (stem: string) => boolean;
/** [suffix, condition on what precedes it, replacement]. */
type Rule = [suffix: string, condition: Condition | null, replacement: string];

/**
 * Applies the first rule whose suffix the word ends with (and is longer than), if its condition
 * holds; once a suffix matched no later rule is tried. Says which suffix was replaced, if any.
 */
function applyFirst(word: string, rules: readonly Rule[]): { word: string; suffix: string | null } {
  for (const [suffix, condition, replacement] of rules) {
    if (word.length <= suffix.length || !word.endsWith(suffix)) continue;
    const stem = word.slice(0, word.length - suffix.length);
    return condition === null || condition(stem) ? { word: stem + replacement, suffix } : { word, suffix: null };
  }
  return { word, suffix: null };
}

/**
 * FTS5 only tries the rules whose suffix has the word's second-to-last letter in that place;
 * grouping them so keeps the same first match.
 */
function grouped(rules: Rule[]): (word: string) => Rule[] {
  const map = new Map<string, Rule[]>();
  for (const rule of rules) map.set(rule[0].at(-2) ?? "", [...(map.get(rule[0].at(-2) ?? "") ?? []), rule]);
  return (word) => map.get(word.at(-2) ?? "") ?? [];
}

const step1b = grouped([
  ["eed", measureAbove0, "ee"],
  ["ed", hasVowel, ""],
  ["ing", hasVowel, ""],
]);
const step1bTidy = grouped([
  ["at", null, "ate"],
  ["bl", null, "ble"],
  ["iz", null, "ize"],
]);
const replacing = (condition: Condition, pairs: [string, string][]) =>
  grouped(pairs.map(([suffix, replacement]): Rule => [suffix, condition, replacement]));
const step2 = replacing(measureAbove0, [
  ["ational", "ate"],
  ["tional", "tion"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["izer", "ize"],
  ["logi", "log"],
  ["bli", "ble"],
  ["alli", "al"],
  ["entli", "ent"],
  ["eli", "e"],
  ["ousli", "ous"],
  ["ization", "ize"],
  ["ation", "ate"],
  ["ator", "ate"],
  ["alism", "al"],
  ["iveness", "ive"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["aliti", "al"],
  ["iviti", "ive"],
  ["biliti", "ble"],
]);
const step3 = replacing(measureAbove0, [
  ["ical", "ic"],
  ["ness", ""],
  ["icate", "ic"],
  ["iciti", "ic"],
  ["ful", ""],
  ["ative", ""],
  ["alize", "al"],
]);
const step4 = grouped(
  ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou"]
    .concat(["ism", "ate", "iti", "ous", "ive", "ize"])
    .map(
      (suffix): Rule => [
        suffix,
        suffix === "ion" ? (stem) => (stem.endsWith("s") || stem.endsWith("t")) && measureAbove1(stem) : measureAbove1,
        "",
      ],
    ),
);

/** Porter's algorithm on a word of 3 to 64 bytes, one byte per character. */
function porter(input: string): string {
  let word = input;
  const n = word.length;
  // Step 1a: plurals.
  if (word[n - 1] === "s") {
    if (word[n - 2] === "e") {
      const es = (n > 4 && word[n - 4] === "s" && word[n - 3] === "s") || (n > 3 && word[n - 3] === "i");
      word = word.slice(0, es ? -2 : -1);
    } else if (word[n - 2] !== "s") {
      word = word.slice(0, -1);
    }
  }
  // Step 1b: -eed, -ed, -ing; after removing -ed or -ing, tidy what is left.
  const b = applyFirst(word, step1b(word));
  word = b.word;
  if (b.suffix === "ed" || b.suffix === "ing") {
    const tidied = applyFirst(word, step1bTidy(word));
    if (tidied.suffix !== null) {
      word = tidied.word;
    } else {
      const last = word.at(-1);
      if (!isVowel(last, false) && last !== "l" && last !== "s" && last !== "z" && last === word.at(-2)) {
        word = word.slice(0, -1);
      } else if (measureIs1(word) && endsCvc(word)) {
        word += "e";
      }
    }
  }
  // Step 1c: y to i after a vowel.
  if (word.endsWith("y") && hasVowel(word.slice(0, -1))) word = `${word.slice(0, -1)}i`;
  word = applyFirst(word, step2(word)).word;
  word = applyFirst(word, step3(word)).word;
  word = applyFirst(word, step4(word)).word;
  // Step 5a: a final e.
  if (word.endsWith("e")) {
    const stem = word.slice(0, -1);
    if (measureAbove1(stem) || (measureIs1(stem) && !endsCvc(stem))) word = stem;
  }
  // Step 5b: a final double l.
  if (word.length > 1 && word.endsWith("ll") && measureAbove1(word.slice(0, -1))) word = word.slice(0, -1);
  return word;
}

const stems = new Map<string, string>();
/** Enough for the distinct words of a large corpus; the memo starts over beyond it. */
const STEMS_REMEMBERED = 200_000;

/** A folded word's stem, as FTS5's porter tokenizer makes it (words under 3 or over 64 bytes stay). */
export function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is exactly the range meant
    const ascii = /^[\x00-\x7f]*$/.test(word);
    const bytes = ascii ? word : Buffer.from(word, "utf8").toString("latin1");
    stemmed =
      bytes.length < 3 || bytes.length > 64
        ? word
        : ascii
          ? porter(bytes)
          : Buffer.from(porter(bytes), "latin1").toString("utf8");
    if (stems.size >= STEMS_REMEMBERED) stems.clear();
    stems.set(word, stemmed);
  }
  return stemmed;
}

/** The terms FTS5 indexes for a text: its words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  eachWord(text, (word) => out.push(stem(word)));
  return out;
}

// Words too common to tell papers apart: left out of ranked free text and of the keyword index
// (they would match almost every paper), but kept inside phrases, where their order matters.
export const stopwords: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both " +
    "but by can could did do does doing down during each few for from further had has have having he her here hers " +
    "him his how i if in into is it its itself just me more most my no nor not of off on once only or other our ours " +
    "out over own same she should so some such than that the their theirs them then there these they this those " +
    "through to too under until up very was we were what when where which while who whom why will with would you your"
  ).split(" "),
);

/**
 * The stems of the stop words. A word is left out when its stem is one of them, so that the
 * index and the queries drop exactly the same terms (e.g. "during" and "dure").
 */
export const stopStems: ReadonlySet<string> = new Set([...stopwords].map(stem));

/** Whether a folded word carries meaning for ranking: its stem is not a stop word's. */
export const isMeaningful = (word: string) => !stopStems.has(stem(word));
