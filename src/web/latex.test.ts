import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plainText, readableText, renderTex } from "./latex.ts";

const text = (s: string, start = 0) => ({ kind: "text", text: s, start, end: start + s.length });

describe("renderTex", () => {
  it("renders inline and display formulas as MathML and keeps the text around them", () => {
    const segments = renderTex("Loss $O(n^2)$ drops to $$\\sum_i x_i$$ here.");
    assert.deepEqual(
      segments.map((s) => s.kind),
      ["text", "math", "text", "math", "text"],
    );
    assert.deepEqual(segments[0], text("Loss "));
    const inline = segments[1];
    const display = segments[3];
    assert.ok(inline?.kind === "math" && inline.html.includes("<math") && inline.start === 5 && inline.end === 13);
    assert.ok(display?.kind === "math" && display.html.includes('class="math-display"'));
    // MathML only: nothing the page's Content-Security-Policy would refuse.
    assert.ok(segments.every((s) => s.kind !== "math" || !s.html.includes("style=")));
  });

  it("understands \\( \\) and \\[ \\] delimiters", () => {
    const kinds = renderTex("a \\(x+1\\) b \\[y\\] c").map((s) => s.kind);
    assert.deepEqual(kinds, ["text", "math", "text", "math", "text"]);
  });

  it("leaves prices, escaped dollars and lone dollars as text", () => {
    assert.deepEqual(renderTex("It costs $5 and $10 a month."), [text("It costs $5 and $10 a month.")]);
    assert.deepEqual(renderTex("Only \\$3 left"), [text("Only \\$3 left")]);
    assert.deepEqual(renderTex("a $ b"), [text("a $ b")]);
  });

  it("falls back to the source text when KaTeX cannot render it", () => {
    assert.deepEqual(renderTex("bad $\\frac{1}{$ end"), [
      text("bad "),
      { kind: "source", text: "$\\frac{1}{$", start: 4, end: 15 },
      text(" end", 15),
    ]);
  });

  it("renders a formula with an author's own macros, the macro as readable text", () => {
    const [math] = renderTex("$\\mathds{1}_{x>0} + \\myfoo$");
    assert.ok(math?.kind === "math", "rendered, not left as source");
    assert.match(math.html, /<mn>1<\/mn>/);
    assert.match(math.html, /<mi mathvariant="normal">myfoo<\/mi>/);
    const [tilde] = renderTex("$\\tilde{O}(dH^2\\sqrt{T})$");
    assert.ok(tilde?.kind === "math");
  });

  it("never lets markup through inside a formula", () => {
    const [math] = renderTex("$\\text{<script>alert(1)</script>}$");
    assert.ok(math?.kind === "math");
    assert.ok(!math.html.includes("<script>"));
    const [href] = renderTex("$\\href{javascript:alert(1)}{x}$");
    assert.ok(href && (href.kind !== "math" || !/href\s*=/.test(href.html)));
  });
});

describe("readableText", () => {
  it("writes TeX dashes, escapes and accents as a reader expects", () => {
    assert.equal(readableText("pages 10--20 --- and more"), "pages 10\u201320 \u2014 and more");
    assert.equal(readableText("R\\&D costs 5\\% at \\$3 (vs.\\ others)"), "R&D costs 5% at $3 (vs. others)");
    assert.equal(readableText("Schr\\\"odinger and Erd\\H{o}s and G\\'eza"), "Schrödinger and Erdős and Géza");
  });

  it("gives plain text for titles and images: text readable, formulas as written", () => {
    assert.equal(
      plainText("Regret $\\tilde{O}(\\sqrt{T})$ -- \\emph{fast}"),
      "Regret \\tilde{O}(\\sqrt{T}) \u2013 fast",
    );
  });

  it("keeps the argument of text commands, drops citations, and names unknown commands", () => {
    assert.equal(readableText("an \\emph{important} result \\cite{knuth84}."), "an important result.");
    assert.equal(readableText("\\textbf{Bold} and \\LaTeX"), "Bold and LaTeX");
    assert.equal(readableText("plain text stays"), "plain text stays");
  });
});
