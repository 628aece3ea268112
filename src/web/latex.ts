import katex from "katex";

/** A run of plain text, or a formula already rendered to HTML by KaTeX. */
export type TexSegment = { kind: "text"; text: string } | { kind: "math"; html: string };

interface Delimiter {
  open: string;
  close: string;
  display: boolean;
}

// Longest opener first so `$$` is not read as an empty inline formula.
const delimiters: Delimiter[] = [
  { open: "$$", close: "$$", display: true },
  { open: "\\[", close: "\\]", display: true },
  { open: "\\(", close: "\\)", display: false },
  { open: "$", close: "$", display: false },
];

// Bounds keep a hostile abstract from making KaTeX build huge output or loop on macros.
const katexOptions = { throwOnError: true, trust: false, strict: "ignore", maxSize: 20, maxExpand: 300 } as const;

function renderFormula(tex: string, display: boolean): string | null {
  try {
    return katex.renderToString(tex, { ...katexOptions, displayMode: display, output: "htmlAndMathml" });
  } catch {
    return null;
  }
}

/**
 * Where the formula opened at `start` ends. A single `$` follows the Pandoc rule so prices
 * ("costs $5 and $10") stay text: no space just inside either `$`, no digit right after the closing one.
 */
function findClose(text: string, start: number, delimiter: Delimiter): number {
  const from = start + delimiter.open.length;
  if (delimiter.open !== "$") {
    const end = text.indexOf(delimiter.close, from);
    return end > from ? end : -1;
  }
  if (from >= text.length || /\s/.test(text[from] ?? "")) return -1;
  for (let i = from + 1; i < text.length; i++) {
    if (text[i] === "\\") {
      i++;
      continue;
    }
    if (text[i] !== "$") continue;
    if (/\s/.test(text[i - 1] ?? "") || /\d/.test(text[i + 1] ?? "")) return -1;
    return i;
  }
  return -1;
}

/**
 * The formula that opens at `start` ($…$, $$…$$, \(…\) or \[…\]): how many characters of
 * `text` it spans, and its HTML, null when KaTeX cannot render it. Null when none opens there.
 */
export function formulaAt(text: string, start: number): { length: number; html: string | null } | null {
  const delimiter = delimiters.find((d) => text.startsWith(d.open, start));
  const end = delimiter ? findClose(text, start, delimiter) : -1;
  if (!delimiter || end < 0) return null;
  const html = renderFormula(text.slice(start + delimiter.open.length, end), delimiter.display);
  return { length: end + delimiter.close.length - start, html };
}

/** Splits text with TeX formulas ($…$, $$…$$, \(…\), \[…\]) into text and rendered math; a formula KaTeX cannot render stays as its source text. */
export function renderTex(text: string): TexSegment[] {
  const segments: TexSegment[] = [];
  let plain = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("\\$", i)) {
      plain += "$";
      i += 2;
      continue;
    }
    const formula = formulaAt(text, i);
    if (!formula) {
      plain += text[i];
      i++;
      continue;
    }
    if (formula.html === null) {
      plain += text.slice(i, i + formula.length);
    } else {
      if (plain) segments.push({ kind: "text", text: plain });
      plain = "";
      segments.push({ kind: "math", html: formula.html });
    }
    i += formula.length;
  }
  if (plain) segments.push({ kind: "text", text: plain });
  return segments;
}
