import assert from "node:assert/strict";
import { test } from "node:test";
import { arxivIdFromText, parseArxivId } from "./arxiv-id.ts";

test("parses new-style, versioned and old-style arXiv ids", () => {
  assert.deepEqual(parseArxivId("2501.00010"), { id: "2501.00010", version: null });
  assert.deepEqual(parseArxivId("arXiv:2501.00010v3"), { id: "2501.00010", version: 3 });
  assert.deepEqual(parseArxivId("0704.0001"), { id: "0704.0001", version: null });
  assert.deepEqual(parseArxivId("hep-th/9901001v2"), { id: "hep-th/9901001", version: 2 });
  assert.deepEqual(parseArxivId("math.GT/0309136"), { id: "math.GT/0309136", version: null });
  for (const bad of ["", "2501.0001a", "2501", "hep-th/99", "<script>", "2501.00010v"]) {
    assert.equal(parseArxivId(bad), null, bad);
  }
});

test("finds the paper behind arXiv, Hugging Face and alphaXiv links", () => {
  const cases: [string, string][] = [
    ["https://arxiv.org/abs/2501.00010v2", "2501.00010"],
    ["arxiv.org/pdf/2501.00010.pdf", "2501.00010"],
    ["https://arxiv.org/html/2501.00010v1", "2501.00010"],
    ["https://huggingface.co/papers/2501.00010", "2501.00010"],
    ["https://www.alphaxiv.org/abs/2501.00010", "2501.00010"],
    ["https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"],
  ];
  for (const [text, id] of cases) assert.equal(arxivIdFromText(text)?.id, id, text);
  assert.equal(arxivIdFromText("https://example.com/abs/2501.00010"), null);
  assert.equal(arxivIdFromText("large-scale pretraining data filtering"), null);
});
