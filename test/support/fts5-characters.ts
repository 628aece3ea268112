import Database from "better-sqlite3";

/**
 * How SQLite's FTS5 `unicode61 remove_diacritics 2` tokenizer treats the code points from
 * `from` to `to`, learned by asking FTS5 itself: each code point c is indexed as "a" + c + "a",
 * which gives one token when c is a word character, "aa" when FTS5 drops it inside a word, and
 * two tokens when it separates words.
 */
export interface Fts5Characters {
  /** Code points that make up words, as inclusive [first, last] ranges. */
  tokenRanges: number[];
  /** Code points dropped inside a word (combining accents). */
  dropped: number[];
  /** Runs [first, last, step, delta]: every step-th code point from first to last folds to itself + delta. */
  folds: number[];
}

export function probeFts5Characters(from = 0x80, to = 0x10ffff): Fts5Characters {
  const db = new Database(":memory:");
  db.exec("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='unicode61 remove_diacritics 2')");
  db.exec("CREATE VIRTUAL TABLE probe_terms USING fts5vocab(probe, instance)");
  const insert = db.prepare("INSERT INTO probe(rowid, x) VALUES (?, ?)");
  const read = db.prepare("SELECT doc, group_concat(term, ' ') AS terms FROM probe_terms GROUP BY doc");
  const token: number[] = [];
  const dropped: number[] = [];
  const fold = new Map<number, number>();
  for (let start = from; start <= to; start += 8192) {
    db.exec("DELETE FROM probe");
    db.transaction(() => {
      for (let c = start; c < Math.min(start + 8192, to + 1); c++) {
        if (c < 0xd800 || c > 0xdfff) insert.run(c, `a${String.fromCodePoint(c)}a`);
      }
    })();
    for (const row of read.all() as { doc: number; terms: string }[]) {
      const terms = row.terms.split(" ");
      if (terms.length !== 1) continue;
      if (terms[0] === "aa") {
        dropped.push(row.doc);
        continue;
      }
      token.push(row.doc);
      const folded = [...(terms[0] ?? "")][1]?.codePointAt(0) ?? row.doc;
      if (folded !== row.doc) fold.set(row.doc, folded);
    }
  }
  db.close();
  const tokenRanges: number[] = [];
  for (const c of token) {
    if (tokenRanges.at(-1) === c - 1) tokenRanges[tokenRanges.length - 1] = c;
    else tokenRanges.push(c, c);
  }
  // Case folding shifts whole ranges (step 1) or alternating pairs (step 2) by one delta.
  const runs: [number, number, number, number][] = [];
  for (const [c, to] of [...fold].sort((a, b) => a[0] - b[0])) {
    const last = runs.at(-1);
    const gap = c - (last?.[1] ?? c);
    if (last && last[3] === to - c) {
      if (last[0] === last[1] && (gap === 1 || gap === 2)) {
        last[2] = gap;
        last[1] = c;
        continue;
      }
      if (last[0] !== last[1] && gap === last[2]) {
        last[1] = c;
        continue;
      }
    }
    runs.push([c, c, 1, to - c]);
  }
  return { tokenRanges, dropped, folds: runs.flat() };
}
