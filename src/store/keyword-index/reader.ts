import { sql } from "kysely";
import type { IndexDatabase } from "./indexer.ts";
import { appendBlock, emptyList, inverseDocumentFrequency } from "./postings.ts";
import type { StoredBlock, TermSegment } from "./ranking.ts";

/** What ranking needs to know about a set of terms: their postings and the corpus they are in. */
export interface IndexedTerms {
  /** Papers indexed (bm25's N). */
  papers: number;
  /** Their average length in words. */
  averageLength: number;
  /** Papers holding each term, in the order the terms were asked for. */
  holding: number[];
  /** Each term's postings, one list per segment it has postings in. */
  lists: TermSegment[];
}

/**
 * Reads the postings of these terms (stems), with exact document frequencies; each term weighs
 * its idf times how often the query asks for it.
 */
export async function readTerms(db: IndexDatabase, asked: Map<string, number>): Promise<IndexedTerms> {
  const terms = [...asked.keys()];
  const [totals, segments, deadRows, rows] = await Promise.all([
    sql<{ papers: number; words: number }>`SELECT papers, words FROM search_totals`.execute(db),
    db.selectFrom("search_segments").select(["id", "average_length"]).execute(),
    db.selectFrom("search_dead").selectAll().execute(),
    terms.length
      ? db
          .selectFrom("search_postings")
          .selectAll()
          .where("term", "in", terms)
          .orderBy("term")
          .orderBy("segment")
          .orderBy("first_pk")
          .execute()
      : Promise.resolve([]),
  ]);
  const papers = Number(totals.rows[0]?.papers ?? 0);
  const averageLength = papers > 0 ? Math.max(1, Number(totals.rows[0]?.words ?? 0) / papers) : 1;
  const storedAverage = new Map(segments.map((s) => [s.id, Number(s.average_length)]));
  const dead = new Map<number, Set<number>>();
  for (const d of deadRows) {
    let set = dead.get(d.segment);
    if (!set) {
      set = new Set();
      dead.set(d.segment, set);
    }
    set.add(d.pk);
  }

  const termIndex = new Map(terms.map((t, i) => [t, i]));
  const bySegment = new Map<string, { term: number; segment: number; blocks: StoredBlock[] }>();
  for (const row of rows) {
    const term = termIndex.get(row.term);
    if (term === undefined) continue;
    const key = `${term}:${row.segment}`;
    let list = bySegment.get(key);
    if (!list) {
      list = { term, segment: row.segment, blocks: [] };
      bySegment.set(key, list);
    }
    list.blocks.push({
      segment: row.segment,
      firstPk: row.first_pk,
      lastPk: row.last_pk,
      count: row.count,
      maxWeight: Number(row.max_weight),
      data: row.data,
    });
  }

  // A term's papers are its postings less the dead ones, which a merge has not dropped yet.
  // Only blocks whose key range holds a dead paper are decoded to count them.
  const holding = terms.map(() => 0);
  const deadSorted = new Map([...dead].map(([segment, pks]) => [segment, Int32Array.from(pks).sort()]));
  for (const list of bySegment.values()) {
    const deadHere = dead.get(list.segment);
    const sorted = deadSorted.get(list.segment);
    for (const block of list.blocks) {
      let count = block.count;
      if (deadHere && sorted && anyBetween(sorted, block.firstPk, block.lastPk)) {
        const list = emptyList();
        appendBlock(block, list);
        for (const pk of list.pks) if (deadHere.has(pk)) count--;
      }
      holding[list.term] = (holding[list.term] ?? 0) + count;
    }
  }
  const lists: TermSegment[] = [...bySegment.values()].map((list) => ({
    term: list.term,
    idf: inverseDocumentFrequency(papers, holding[list.term] ?? 0) * (asked.get(terms[list.term] ?? "") ?? 1),
    storedAverage: storedAverage.get(list.segment) ?? averageLength,
    blocks: list.blocks,
    dead: dead.get(list.segment) ?? null,
  }));
  return { papers, averageLength, holding, lists };
}

/** Whether a sorted array holds a value from `low` to `high`. */
function anyBetween(sorted: Int32Array, low: number, high: number): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((sorted[mid] ?? 0) < low) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && (sorted[a] ?? 0) <= high;
}
