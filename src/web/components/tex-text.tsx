import { raw } from "hono/html";
import { renderTex } from "../latex.ts";

/** Text with its TeX formulas typeset; the text itself is escaped like any JSX string. */
export function TexText({ text }: { text: string }) {
  return <>{renderTex(text).map((segment) => (segment.kind === "text" ? segment.text : raw(segment.html)))}</>;
}
