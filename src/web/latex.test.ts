import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderTex } from "./latex.ts";

describe("renderTex", () => {
  it("renders inline and display formulas and keeps the text around them", () => {
    const segments = renderTex("Loss $O(n^2)$ drops to $$\\sum_i x_i$$ here.");
    assert.deepEqual(
      segments.map((s) => s.kind),
      ["text", "math", "text", "math", "text"],
    );
    assert.deepEqual(segments[0], { kind: "text", text: "Loss " });
    const inline = segments[1];
    const display = segments[3];
    assert.ok(inline?.kind === "math" && inline.html.includes('class="katex"'));
    assert.ok(display?.kind === "math" && display.html.includes("katex-display"));
  });

  it("understands \\( \\) and \\[ \\] delimiters", () => {
    const kinds = renderTex("a \\(x+1\\) b \\[y\\] c").map((s) => s.kind);
    assert.deepEqual(kinds, ["text", "math", "text", "math", "text"]);
  });

  it("leaves prices, escaped dollars and lone dollars as text", () => {
    assert.deepEqual(renderTex("It costs $5 and $10 a month."), [
      { kind: "text", text: "It costs $5 and $10 a month." },
    ]);
    assert.deepEqual(renderTex("Only \\$3 left"), [{ kind: "text", text: "Only $3 left" }]);
    assert.deepEqual(renderTex("a $ b"), [{ kind: "text", text: "a $ b" }]);
  });

  it("falls back to the source text when KaTeX cannot render it", () => {
    assert.deepEqual(renderTex("bad $\\frac{1}{$ end"), [{ kind: "text", text: "bad $\\frac{1}{$ end" }]);
    assert.deepEqual(renderTex("$\\undefinedmacro{x}$"), [{ kind: "text", text: "$\\undefinedmacro{x}$" }]);
  });

  it("never lets markup through inside a formula", () => {
    const [math] = renderTex("$\\text{<script>alert(1)</script>}$");
    assert.ok(math?.kind === "math");
    assert.ok(!math.html.includes("<script>"));
    const [href] = renderTex("$\\href{javascript:alert(1)}{x}$");
    assert.ok(href && (href.kind === "text" || !/href\s*=/.test(href.html)));
  });
});
