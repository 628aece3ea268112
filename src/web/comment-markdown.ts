import MarkdownIt from "markdown-it";
import { formulaAt } from "./latex.ts";

/**
 * Comments are Markdown as people type it, rendered safely: raw HTML is shown as text, links go
 * only to http(s) and mailto and carry rel="nofollow ugc noopener", images (remote requests from
 * readers' browsers) and headings (the page's outline is ours) stay text, and $…$ math is typeset
 * with KaTeX as abstracts are.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
markdown.disable(["image", "heading", "lheading"]);
markdown.validateLink = (url) => /^(https?:\/\/|mailto:)/i.test(url.trim());

markdown.inline.ruler.before("escape", "math", (state, silent) => {
  const first = state.src.charCodeAt(state.pos);
  // "$" or "\" (for \( and \[): the only characters a formula can open with.
  if (first !== 0x24 && first !== 0x5c) return false;
  const formula = formulaAt(state.src.slice(0, state.posMax), state.pos);
  if (!formula?.html) return false;
  if (!silent) state.push("math", "", 0).content = formula.html;
  state.pos = formula.end;
  return true;
});
// KaTeX's MathML (trust off, so no links from the formula); the source never reaches the page raw.
markdown.renderer.rules.math = (tokens, index) => tokens[index]?.content ?? "";

const renderLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]?.attrSet("rel", "nofollow ugc noopener");
  return renderLinkOpen(tokens, index, options, env, self);
};

/** A comment's Markdown as HTML that is safe to put into a page as it is. */
export function renderCommentMarkdown(body: string): string {
  return markdown.render(body);
}
