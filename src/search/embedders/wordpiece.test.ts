import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { writeModelDirectory } from "../../../test/support/onnx-model.ts";
import { loadWordPieceTokenizer, type WordPieceOptions, WordPieceTokenizer } from "./wordpiece.ts";

const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "hello", ",", "world", "!", "中", "文"];

function tokenizer(options: Partial<WordPieceOptions> = {}): WordPieceTokenizer {
  return new WordPieceTokenizer(new Map(vocab.map((token, id) => [token, id])), {
    lowercase: true,
    stripAccents: true,
    splitCjk: true,
    unknownToken: "[UNK]",
    continuingPrefix: "##",
    maxWordChars: 100,
    prefixIds: [2],
    suffixIds: [3],
    padId: 0,
    ...options,
  });
}

test("basic tokenization lowercases, strips accents, splits punctuation and CJK, drops control characters", () => {
  assert.deepEqual(tokenizer().basicTokens("  Héllo,\tWORLD!\u0007中文 a$b "), [
    "hello",
    ",",
    "world",
    "!",
    "中",
    "文",
    "a",
    "$",
    "b",
  ]);
  assert.deepEqual(tokenizer({ lowercase: false, stripAccents: false }).basicTokens("Héllo"), ["Héllo"]);
  assert.deepEqual(tokenizer({ splitCjk: false }).basicTokens("中文"), ["中文"]);
});

test("WordPiece takes the longest known piece first and gives up on words it cannot spell", () => {
  const wordPiece = tokenizer();
  assert.deepEqual(wordPiece.wordPieces("unaffable"), ["un", "##aff", "##able"]);
  assert.deepEqual(wordPiece.wordPieces("unknowable"), ["[UNK]"]);
  assert.deepEqual(tokenizer({ maxWordChars: 5 }).wordPieces("unaffable"), ["[UNK]"]);
});

test("encoding wraps the ids in the special tokens and cuts to the length limit", () => {
  const wordPiece = tokenizer();
  assert.deepEqual(wordPiece.encode("Unaffable, world", 512), [2, 4, 5, 6, 8, 9, 3]);
  assert.deepEqual(wordPiece.encode("Unaffable, world", 4), [2, 4, 5, 3]);
  assert.deepEqual(wordPiece.encode("", 512), [2, 3]);
});

test("vocab.txt and tokenizer.json exports load to the same tokenizer", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-wordpiece-"));
  try {
    const table = vocab.map(() => [1]);
    const encodings = (["vocab.txt", "tokenizer.json"] as const).map((layout) => {
      const dir = path.join(root, layout);
      writeModelDirectory(dir, { vocab, table, tokenizer: layout });
      return loadWordPieceTokenizer(dir).encode("Hello, unaffable wörld! 中文", 512);
    });
    assert.deepEqual(encodings[0], [2, 7, 8, 4, 5, 6, 9, 10, 11, 12, 3]);
    assert.deepEqual(encodings[1], encodings[0]);
    const cased = path.join(root, "cased");
    writeModelDirectory(cased, { vocab, table, tokenizer: "vocab.txt" });
    fs.writeFileSync(path.join(cased, "tokenizer_config.json"), JSON.stringify({ do_lower_case: false }));
    assert.deepEqual(loadWordPieceTokenizer(cased).encode("Hello hello", 512), [2, 1, 7, 3]);
    assert.throws(() => loadWordPieceTokenizer(path.join(root, "nowhere")), /neither tokenizer.json nor vocab.txt/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
