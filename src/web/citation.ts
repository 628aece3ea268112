import { arxivLinks } from "../papers/links.ts";
import type { Paper } from "../papers/paper.ts";

/** A file name for downloads: old-style ids hold a slash. */
export function fileNameFor(paper: Pick<Paper, "id">, extension: string): string {
  return `${paper.id.replace("/", "_")}.${extension}`;
}

/** BibTeX values sit in braces, so an unbalanced brace in a title would swallow the rest of the entry. */
function balanceBraces(text: string): string {
  let depth = 0;
  let out = "";
  for (const ch of text) {
    if (ch === "{") depth++;
    if (ch === "}") {
      if (depth === 0) continue;
      depth--;
    }
    out += ch;
  }
  return out + "}".repeat(depth);
}

function keyPart(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
}

const titleStopWords = new Set(["a", "an", "the", "on", "of", "towards", "toward"]);

/** Google Scholar-style key: first author's surname, year, first meaningful title word. */
function citationKey(paper: Paper, year: string): string {
  const surname = keyPart(paper.authors[0]?.name.split(/\s+/).at(-1) ?? "");
  const word = paper.title
    .split(/\s+/)
    .map(keyPart)
    .find((w) => w && !titleStopWords.has(w));
  return `${surname || "arxiv"}${year}${word ?? ""}`;
}

/** The paper as an arXiv-style BibTeX @misc entry. */
export function bibtex(paper: Paper): string {
  const year = paper.publishedAt.slice(0, 4);
  const fields: [string, string | null][] = [
    ["title", paper.title],
    ["author", paper.authors.map((a) => a.name).join(" and ")],
    ["year", year],
    ["eprint", paper.id],
    ["archivePrefix", "arXiv"],
    ["primaryClass", paper.primaryCategory],
    ["doi", paper.doi],
    ["url", arxivLinks(paper).abstract],
  ];
  const body = fields
    .filter((f): f is [string, string] => Boolean(f[1]))
    .map(([name, value]) => `  ${name} = {${balanceBraces(value.replace(/\s+/g, " "))}}`)
    .join(",\n");
  return `@misc{${citationKey(paper, year)},\n${body}\n}\n`;
}

/** Highwire Press dates are YYYY/MM/DD. */
export function highwireDate(iso: string): string {
  return iso.slice(0, 10).replaceAll("-", "/");
}
