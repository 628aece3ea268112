import { raw } from "hono/html";
import type { Highlighted } from "../../search/index.ts";
import { readableText, renderTex } from "../latex.ts";

/** Text with its TeX formulas typeset and its text-mode markup made readable; the text itself is escaped like any JSX string. */
export function TexText({ text }: { text: string }) {
  return (
    <>
      {renderTex(text).map((segment) =>
        segment.kind === "math"
          ? raw(segment.html)
          : segment.kind === "text"
            ? readableText(segment.text)
            : segment.text,
      )}
    </>
  );
}

/**
 * Highlighted text (a search's matches) typeset like TexText: the marks fall on the text runs,
 * a formula is shown whole.
 */
export function TexMarked({ parts }: { parts: Highlighted }) {
  const text = parts.map((p) => p.text).join("");
  const marks: { start: number; end: number }[] = [];
  let at = 0;
  for (const part of parts) {
    if (part.match) marks.push({ start: at, end: at + part.text.length });
    at += part.text.length;
  }
  return (
    <>
      {renderTex(text).map((segment) => {
        if (segment.kind === "math") return raw(segment.html);
        const readable = segment.kind === "text" ? readableText : (source: string) => source;
        const pieces = [];
        let from = segment.start;
        for (const mark of marks) {
          const start = Math.max(mark.start, segment.start);
          const end = Math.min(mark.end, segment.end);
          if (start >= end) continue;
          if (start > from) pieces.push(readable(text.slice(from, start)));
          pieces.push(<mark>{readable(text.slice(start, end))}</mark>);
          from = end;
        }
        if (from < segment.end) pieces.push(readable(text.slice(from, segment.end)));
        return <>{pieces}</>;
      })}
    </>
  );
}
