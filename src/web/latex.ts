import katex from "katex";

/**
 * A run of text as written in the source (`start`..`end`), a formula already rendered to MathML
 * by KaTeX, or a formula KaTeX could not render, to be shown as written. Text runs still hold TeX
 * text-mode markup: show them through `readableText`.
 */
export type TexSegment =
  | { kind: "text" | "source"; text: string; start: number; end: number }
  | { kind: "math"; html: string; start: number; end: number };

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

// MathML only: KaTeX's HTML output positions glyphs with style attributes, which the site's
// Content-Security-Policy does not allow; browsers lay out MathML themselves.
// Bounds keep a hostile abstract from making KaTeX build huge output or loop on macros.
const katexOptions = {
  throwOnError: true,
  trust: false,
  strict: "ignore",
  maxSize: 20,
  maxExpand: 300,
  output: "mathml",
} as const;

// Authors' own macros (\R, \mathds, \eps) are unknown to KaTeX; rather than lose the formula, such a
// macro becomes its name in roman (\foo → foo) or, before an argument, vanishes and leaves the argument.
const MAX_UNKNOWN_MACROS = 8;
const undefinedMacro = /Undefined control sequence: (\\[A-Za-z]+)/;

function renderFormula(tex: string, display: boolean): string | null {
  const macros: Record<string, string> = {};
  for (let attempt = 0; attempt <= MAX_UNKNOWN_MACROS; attempt++) {
    try {
      const html = katex.renderToString(tex, { ...katexOptions, displayMode: display, macros: { ...macros } });
      return display ? `<span class="math-display">${html}</span>` : html;
    } catch (error) {
      const name = undefinedMacro.exec(error instanceof Error ? error.message : "")?.[1];
      if (!name || name in macros) return null;
      const takesArgument = new RegExp(`\\${name}\\s*\\{`).test(tex);
      macros[name] = takesArgument ? "" : `\\operatorname{${name.slice(1)}}`;
    }
  }
  return null;
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
 * The formula that opens at `start` ($…$, $$…$$, \(…\) or \[…\]): where it ends, and its
 * MathML, null when KaTeX cannot render it. Null when no formula opens there.
 */
export function formulaAt(text: string, start: number): { end: number; html: string | null } | null {
  const delimiter = delimiters.find((d) => text.startsWith(d.open, start));
  const close = delimiter ? findClose(text, start, delimiter) : -1;
  if (!delimiter || close < 0) return null;
  return {
    end: close + delimiter.close.length,
    html: renderFormula(text.slice(start + delimiter.open.length, close), delimiter.display),
  };
}

/**
 * Splits text with TeX formulas ($…$, $$…$$, \(…\), \[…\]) into text runs and rendered math;
 * a formula KaTeX cannot render stays as written.
 */
export function renderTex(text: string): TexSegment[] {
  const segments: TexSegment[] = [];
  let plainStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("\\$", i)) {
      i += 2;
      continue;
    }
    const formula = formulaAt(text, i);
    if (!formula) {
      i++;
      continue;
    }
    const { end, html } = formula;
    if (i > plainStart) segments.push({ kind: "text", text: text.slice(plainStart, i), start: plainStart, end: i });
    segments.push(
      html === null
        ? { kind: "source", text: text.slice(i, end), start: i, end }
        : { kind: "math", html, start: i, end },
    );
    plainStart = end;
    i = end;
  }
  if (plainStart < text.length) {
    segments.push({ kind: "text", text: text.slice(plainStart), start: plainStart, end: text.length });
  }
  return segments;
}

// Text-mode markup that titles and abstracts carry over from their TeX sources.
const symbols: Record<string, string> = { "\\$": "$", "\\&": "&", "\\%": "%", "\\_": "_", "\\#": "#" };
const accents: Record<string, string> = {
  "'": "\u0301",
  "`": "\u0300",
  '"': "\u0308",
  "^": "\u0302",
  "~": "\u0303",
  "=": "\u0304",
  ".": "\u0307",
  H: "\u030B",
  c: "\u0327",
  k: "\u0328",
  u: "\u0306",
  v: "\u030C",
};
// Commands whose argument is not reading matter, and commands that stand for a character.
const dropped = /\s*\\(?:cite[pt]?|label|ref|eqref|footnote|thanks)\*?(?:\[[^\]]*\])?\{[^{}]*\}/g;
const named: Record<string, string> = { ldots: "\u2026", dots: "\u2026", textendash: "\u2013", textemdash: "\u2014" };

/**
 * TeX text as a reader should see it: `--` and `---` as en and em dashes, `\&` as &, `\ ` as a space, accents
 * (`\'e`) composed, `\emph{word}` and any other `\command{…}` as their argument, citations dropped.
 */
export function readableText(text: string): string {
  if (!text.includes("\\") && !text.includes("--")) return text;
  return text
    .replace(dropped, "")
    .replace(/\\(['`"^~=.]|[Hckuv](?![A-Za-z]))\s*\{?([A-Za-z])\}?/g, (_, accent: string, letter: string) =>
      `${letter}${accents[accent] ?? ""}`.normalize("NFC"),
    )
    .replace(/\\[$&%_#]/g, (symbol) => symbols[symbol] ?? symbol)
    .replace(/\\[ ,;:!]/g, " ")
    .replace(/\\[A-Za-z]+\*?(?:\[[^\]]*\])?\{([^{}]*)\}/g, "$1")
    .replace(/\\([A-Za-z]+)(?![A-Za-z])/g, (_, name: string) => named[name] ?? name)
    .replace(/(^|[^-])---(?!-)/g, "$1\u2014")
    .replace(/(^|[^-])--(?!-)/g, "$1\u2013");
}

/** TeX as plain text, for where no markup can go (page titles, descriptions, images): text made readable, formulas as written without their delimiters. */
export function plainText(text: string): string {
  return renderTex(text)
    .map((segment) =>
      segment.kind === "text"
        ? readableText(segment.text)
        : text.slice(segment.start, segment.end).replace(/^(\$\$?|\\[([])|(\$\$?|\\[)\]])$/g, ""),
    )
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}
