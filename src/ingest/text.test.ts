import assert from "node:assert/strict";
import { test } from "node:test";
import { collapse } from "./text.ts";

test("collapse turns every run of whitespace, of any kind, into one space and trims the ends", () => {
  assert.equal(collapse("Attention is\nall you\r\n  need"), "Attention is all you need");
  assert.equal(collapse("a\tb\u00a0c\u2003d\u3000e"), "a b c d e");
  assert.equal(collapse(" \n lone spaces stay as they are \t"), "lone spaces stay as they are");
  assert.equal(collapse("\ufeff\n\t "), "");
  assert.equal(collapse("one"), "one");
});
