import { RecordError } from "./errors.ts";

/** Whitespace that is not already a lone space: a run of two or more, or any other character. */
const looseWhitespace = /\s\s+|[^\S ]/g;

/** Collapses runs of whitespace (arXiv wraps titles and abstracts at ~80 columns). */
export function collapse(text: string): string {
  // Lone spaces, most of a text's whitespace, are left as they are rather than each replaced.
  return text.replace(looseWhitespace, " ").trim();
}

export function requiredText(value: unknown, field: string): string {
  if (typeof value !== "string") throw new RecordError(`${field} is missing`);
  const text = collapse(value);
  if (text === "") throw new RecordError(`${field} is empty`);
  return text;
}

export function optionalText(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new RecordError(`${field} must be a string`);
  const text = collapse(value);
  return text === "" ? null : text;
}

const accents: Record<string, string> = {
  "'": "\u0301",
  "`": "\u0300",
  "^": "\u0302",
  '"': "\u0308",
  "~": "\u0303",
  "=": "\u0304",
  ".": "\u0307",
  u: "\u0306",
  v: "\u030c",
  H: "\u030b",
  c: "\u0327",
  k: "\u0328",
};
const letters: Record<string, string> = {
  ss: "ß",
  o: "ø",
  O: "Ø",
  l: "ł",
  L: "Ł",
  ae: "æ",
  AE: "Æ",
  oe: "œ",
  OE: "Œ",
  aa: "å",
  AA: "Å",
  i: "ı",
  j: "ȷ",
};

/** Turns the TeX accents in arXiv author names (`Bal\'azs`, `{\"o}`) into Unicode (`Balázs`, `ö`). */
export function texToUnicode(text: string): string {
  if (!text.includes("\\")) return text;
  return text
    .replace(
      /\\([`'^"~=.uvHck])\s*(?:\{\\?([A-Za-z])\}|\\?([A-Za-z]))/g,
      (all, accent: string, braced?: string, bare?: string) => {
        const mark = accents[accent];
        return mark ? ((braced ?? bare) + mark).normalize("NFC") : all;
      },
    )
    .replace(/\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])\s?/g, (all, name: string) => letters[name] ?? all)
    .replace(/\{([^{}\\]*)\}/g, "$1");
}
