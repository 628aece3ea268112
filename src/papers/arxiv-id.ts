/**
 * arXiv identifiers: new style `2501.00010` (4 or 5 digits after the dot since 2015) and
 * old style `hep-th/9901001` or `math.GT/0309136`, each optionally with a `vN` suffix.
 */
const newStyle = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const oldStyle = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

export interface ParsedArxivId {
  /** Versionless id, the key Paperboy stores papers under. */
  id: string;
  version: number | null;
}

/** Parses a bare arXiv id (with or without version, with or without an `arXiv:` prefix); null if it is not one. */
export function parseArxivId(raw: string): ParsedArxivId | null {
  const text = raw.trim().replace(/^arxiv:/i, "");
  const match = newStyle.exec(text) ?? oldStyle.exec(text);
  if (!match?.[1]) return null;
  return { id: match[1], version: match[2] ? Number(match[2]) : null };
}

/**
 * Finds the paper a query points at: a bare id, or an arxiv.org, huggingface.co/papers or
 * alphaxiv.org link to its abstract, PDF or HTML page.
 */
export function arxivIdFromText(raw: string): ParsedArxivId | null {
  const direct = parseArxivId(raw);
  if (direct) return direct;
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^www\./, "");
  if (!["arxiv.org", "export.arxiv.org", "huggingface.co", "hf.co", "alphaxiv.org"].includes(host)) return null;
  const tail = url.pathname
    .replace(/^\/(abs|pdf|html|papers|overview|paper)\//, "")
    .replace(/\.pdf$/, "")
    .replace(/\/$/, "");
  return parseArxivId(decodeURIComponent(tail));
}
