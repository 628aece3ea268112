import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { probeFts5Characters } from "../../test/support/fts5-characters.ts";
import { droppedInWords, folds, tokenRanges } from "./fts5-characters.ts";
import { stem, terms, wordSpans } from "./words.ts";

/** The terms FTS5 indexes for each text, in order, with the porter unicode61 tokenizer papers_fts uses. */
function fts5Terms(texts: string[]): string[][] {
  const db = new Database(":memory:");
  db.exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')");
  db.exec("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)");
  const insert = db.prepare("INSERT INTO t(rowid, x) VALUES (?, ?)");
  texts.forEach((text, i) => {
    insert.run(i + 1, text);
  });
  const out = texts.map(() => [] as { term: string; offset: number }[]);
  for (const row of db.prepare("SELECT term, doc, offset FROM v").all() as {
    term: string;
    doc: number;
    offset: number;
  }[]) {
    out[row.doc - 1]?.push({ term: row.term, offset: row.offset });
  }
  db.close();
  return out.map((list) => list.sort((a, b) => a.offset - b.offset).map((t) => t.term));
}

const samples = [
  "Diffusion Models for Video Generation: a Survey of 2024's results (v2.0)",
  "Generalization, generating and generative models; relational relativity; hopefulness",
  "Naïve Bayes, Schrödinger's cat, Dvořák, Łódź, İstanbul, ΣΑΣ σας, µ-law and μ, ϵ and ε",
  "Math: 𝑥 + 𝑦 = 𝑧, αβγ, x² and ½, e\u0301cole, co\u0308operate, ﬁne ligature",
  "CJK 大型语言模型 and emoji 🚀 and Arabic العربية and Hindi हिन्दी",
  "agreed feed bled sing caresses ponies ties caress cats plastered motoring filing failing hopping tanned",
  "conflated troubled sized hopping falling hissing fizzed failing filing happy sky relational conditional",
  "rational valenci hesitanci digitizer conformabli radicalli differentli vileli analogousli vietnamization",
  "predication operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti",
  "triplicate formative formalize electriciti electrical hopeful goodness revival allowance inference",
  "airliner gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou",
  "communism activate angulariti homologous effective bowdlerize probate rate cease controll roll",
  "seyed sayings δs aed ied ued oed ing eed aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaing",
  "under_score hyphen-ated e-mail@example.com https://arxiv.org/abs/2401.00001 C++ C# .NET 3.14159",
];

describe("words as FTS5 sees them", () => {
  it("cuts, folds and stems every sample exactly as SQLite's porter unicode61 tokenizer", () => {
    assert.deepEqual(samples.map(terms), fts5Terms(samples));
  });

  it("gives each word's place in the text", () => {
    const text = "Naïve  Bayes, e\u0301cole!";
    assert.deepEqual(wordSpans(text), [
      { word: "naive", start: 0, end: 5 },
      { word: "bayes", start: 7, end: 12 },
      { word: "ecole", start: 14, end: 20 },
    ]);
    assert.equal(stem("generalization"), "gener");
  });

  it("knows every character of the Basic Multilingual Plane as this SQLite does", () => {
    // The whole table is checked by scripts/fts5-characters.ts when it is made; this catches an
    // upgrade of SQLite that changed how FTS5 treats a character.
    const probed = probeFts5Characters(0x80, 0xffff);
    const inPlane = (ranges: number[]) => {
      const out: number[] = [];
      for (let i = 0; i < ranges.length; i += 2) {
        const first = ranges[i] ?? 0;
        if (first > 0xffff) break;
        out.push(first, Math.min(0xffff, ranges[i + 1] ?? 0));
      }
      return out;
    };
    assert.deepEqual(inPlane(probed.tokenRanges), inPlane(tokenRanges));
    assert.deepEqual(
      probed.dropped,
      droppedInWords.filter((c) => c <= 0xffff),
    );
    const bmpFolds = (runs: number[]) => {
      const out: number[][] = [];
      for (let i = 0; i < runs.length; i += 4) if ((runs[i] ?? 0) <= 0xffff) out.push(runs.slice(i, i + 4));
      return out;
    };
    assert.deepEqual(bmpFolds(probed.folds), bmpFolds(folds));
  });
});
