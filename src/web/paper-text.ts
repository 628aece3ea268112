import type { Paper } from "../papers/paper.ts";
import { plural } from "./paths.ts";

/** The first `most` author names, then how many more: long collaborations list hundreds. */
export function authorNames(paper: Paper, most = 20): string[] {
  const names = paper.authors.slice(0, most).map((a) => a.name);
  const rest = paper.authors.length - names.length;
  return rest > 0 ? [...names, plural(rest, "more author")] : names;
}

/** The start of an abstract, cut at a word, for lists that have no room for all of it. */
export function shortAbstract(abstract: string, length = 400): string {
  if (abstract.length <= length) return abstract;
  const cut = abstract.slice(0, length);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), length / 2))}…`;
}
