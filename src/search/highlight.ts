import { stem, wordSpans } from "../papers/words.ts";
import type { TextQuery } from "../store/search.ts";

/** Text cut into pieces, those that match the query marked; rendered escaped by whoever shows it. */
export type Highlighted = { text: string; match: boolean }[];

/** The stems a result should show highlighted: every word the reader asked to find. */
export function highlightStems(query: TextQuery): Set<string> {
  return new Set([...query.anyWords, ...query.phrases.flat(), ...query.titlePhrases.flat()].map(stem));
}

/** Marks every word whose stem was asked for, so "filters" lights up "filtering". */
export function highlight(text: string, stems: Set<string>): Highlighted {
  const out: Highlighted = [];
  let at = 0;
  for (const span of wordSpans(text)) {
    if (!stems.has(stem(span.word))) continue;
    if (span.start > at) out.push({ text: text.slice(at, span.start), match: false });
    out.push({ text: text.slice(span.start, span.end), match: true });
    at = span.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}

/**
 * The passage of about `length` characters with the most matching words, highlighted, with
 * an ellipsis where it cuts the text; the opening of the text when nothing matches.
 */
export function snippet(text: string, stems: Set<string>, length = 240): Highlighted {
  if (text.length <= length) return highlight(text, stems);
  const spans = wordSpans(text);
  const hits = spans.filter((s) => stems.has(stem(s.word)));
  let bestStart = 0;
  let bestCount = 0;
  for (let i = 0, j = 0; i < hits.length; i++) {
    const start = hits[i]?.start ?? 0;
    while (j < hits.length && (hits[j]?.end ?? 0) - start <= length) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      bestStart = start;
    }
  }
  // Start a little before the first match, on a word boundary, so it reads in context.
  const lead = spans.filter((s) => s.start <= bestStart && s.start >= bestStart - 60)[0]?.start ?? bestStart;
  const from = bestCount ? lead : 0;
  const end = spans.filter((s) => s.end <= from + length).at(-1)?.end ?? from + length;
  const piece = highlight(text.slice(from, end), stems);
  if (from > 0) piece.unshift({ text: "… ", match: false });
  if (end < text.length) piece.push({ text: " …", match: false });
  return piece;
}
