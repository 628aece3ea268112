import { isCalendarDay } from "../calendar/new-york.ts";
import { isMeaningful, words } from "../papers/words.ts";
import { hasConditions, type Phrase, type TextQuery } from "../store/search.ts";
import { asksForLiterature, withoutRequest } from "./question.ts";

export interface ParsedQuery {
  query: TextQuery;
  /** The topic in plain words (free text, phrases and title words), for semantic ranking. */
  topic: string;
  /** Parts of the query that could not be used, each saying why, for the reader to fix. */
  problems: string[];
  /** Whether it reads as a question in sentences ("Are there papers on …?") rather than keywords. */
  question: boolean;
}

const fieldNames: Record<string, "author" | "cat" | "title" | "after" | "before"> = {
  author: "author",
  au: "author",
  cat: "cat",
  category: "cat",
  title: "title",
  ti: "title",
  after: "after",
  since: "after",
  before: "before",
  until: "before",
};

// - or + (exclude, require), then an optional known-looking `field:`, then a "quoted phrase"
// (closing quote optional, so a half-typed query still works) or a bare run of non-space characters.
// A sign before a digit belongs to the number ("E2f-1, -2, -3", "the +1 nucleosome"): nobody
// excludes or requires a bare number, and pasted text is full of them.
const tokenPattern = /([-+](?!\d))?(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))/gi;

/** `2024`, `2024-05` or `2024-05-31` as the first day it covers; null if it is no date. */
function startOfPeriod(value: string): string | null {
  const day = /^\d{4}$/.test(value) ? `${value}-01-01` : /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
  return isCalendarDay(day) ? day : null;
}

/**
 * Reads a search box query: free words (any may match, more and rarer is better), +required
 * words, "exact phrases", -excluded words or -"phrases", and the fields author:, cat:, title:,
 * after: and before: (a field's value may be quoted: author:"Yann LeCun"). after:X keeps papers
 * published on or after the start of X and before:X those published before it, where X is a
 * year, month or day. A question's request for papers ("Could you recommend a study that …")
 * is left out (see question.ts).
 */
export function parseQuery(input: string): ParsedQuery {
  const { text, question } = withoutRequest(input);
  const free: string[] = [];
  const query: TextQuery = {
    anyWords: [],
    requiredWords: [],
    phrases: [],
    titlePhrases: [],
    authors: [],
    excluded: [],
    categories: [],
  };
  const topic: string[] = [];
  const problems: string[] = [];

  for (const match of text.matchAll(tokenPattern)) {
    const [raw, sign, fieldName, quotedValue, bareValue] = match;
    const minus = sign === "-";
    const field = fieldName ? fieldNames[fieldName.toLowerCase()] : undefined;
    // An unknown `word:` prefix is just text (e.g. "COVID-19: a review").
    const value = quotedValue ?? (fieldName && !field ? raw.replace(/^[-+]/, "") : (bareValue ?? ""));
    const phrase: Phrase = words(value);
    if (field === "after" || field === "before") {
      const day = startOfPeriod(value.trim());
      if (day) query[field] = day;
      else problems.push(`${fieldName}: wants a date like 2024, 2024-05 or 2024-05-31, not "${value}"`);
    } else if (field === "cat") {
      if (/^[a-z-]+(\.[a-z-]+)?$/i.test(value.trim())) query.categories.push(value.trim());
      else problems.push(`${fieldName}: wants an arXiv category like cs.CL or cs, not "${value}"`);
    } else if (phrase.length > 0) {
      if (minus) query.excluded.push(phrase);
      else if (field === "author") query.authors.push(phrase);
      else if (field === "title") query.titlePhrases.push(phrase);
      else if (quotedValue !== undefined) query.phrases.push(phrase);
      else if (sign === "+") query.requiredWords.push(...phrase.filter(isMeaningful));
      else free.push(...(question ? phrase.filter((w) => !asksForLiterature(w)) : phrase));
      if (!minus && field !== "author") {
        topic.push(
          field || quotedValue !== undefined || !question
            ? value
            : phrase.filter((w) => !asksForLiterature(w)).join(" "),
        );
      }
    }
  }

  query.anyWords = [...new Set(free.filter(isMeaningful))];
  if (free.length > 0 && query.anyWords.length === 0 && !hasConditions(query)) {
    problems.push(
      `"${free.join(" ")}" has only words too common to search for: add a word that says what the papers are about`,
    );
  }
  return { query, topic: topic.join(" "), problems, question };
}

/**
 * The query with its exact wording let go: phrases and +required words become words any result
 * may have (fields, categories, dates and exclusions stay). Null when nothing is required.
 */
export function loosened(query: TextQuery): TextQuery | null {
  if (query.phrases.length + query.requiredWords.length === 0) return null;
  const words = [...query.anyWords, ...query.requiredWords, ...query.phrases.flat().filter(isMeaningful)];
  return { ...query, anyWords: [...new Set(words)], requiredWords: [], phrases: [] };
}
