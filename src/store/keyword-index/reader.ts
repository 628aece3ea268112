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
 * Heap bytes a cached block takes beyond its data: its object and the view on its data (measured
 * with the blocks of 30 topic queries at 2.8M papers).
 */
const BLOCK_OVERHEAD = 300;
const sizeOf = (blocks: StoredBlock[]) => blocks.reduce((sum, b) => sum + b.data.byteLength + BLOCK_OVERHEAD, 0);

/**
 * A term's blocks in one segment never change (a segment is written once and only ever
 * replaced by a merge under a new id), so the blocks read for one search are kept for the next:
 * common terms recur in most searches. Evicted oldest first beyond BYTES_KEPT.
 */
export class BlockCache {
  private readonly entries = new Map<string, StoredBlock[]>();
  private bytes = 0;

  /** `bytesKept`: memory the blocks may take, their objects counted (BLOCK_OVERHEAD) beside their data. */
  constructor(private readonly bytesKept = 64 * 1024 * 1024) {}

  get(segment: number, term: string): StoredBlock[] | undefined {
    const key = `${segment}\u0000${term}`;
    const blocks = this.entries.get(key);
    if (blocks) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, blocks);
    }
    return blocks;
  }

  set(segment: number, term: string, blocks: StoredBlock[]): void {
    const key = `${segment}\u0000${term}`;
    this.entries.set(key, blocks);
    this.bytes += sizeOf(blocks);
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.bytesKept) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(old);
    }
  }
}

/**
 * Reads the postings of these terms (stems), with exact document frequencies; each term weighs
 * its idf times how often the query asks for it.
 */
export async function readTerms(
  db: IndexDatabase,
  asked: Map<string, number>,
  cache: BlockCache,
): Promise<IndexedTerms> {
  const terms = [...asked.keys()];
  const [totals, segments, deadRows] = await Promise.all([
    sql<{ papers: number; words: number }>`SELECT papers, words FROM search_totals`.execute(db),
    db.selectFrom("search_segments").select(["id", "average_length"]).orderBy("id").execute(),
    db.selectFrom("search_dead").selectAll().execute(),
  ]);
  const papers = Number(totals.rows[0]?.papers ?? 0);
  const averageLength = papers > 0 ? Math.max(1, Number(totals.rows[0]?.words ?? 0) / papers) : 1;

  // Blocks not in the cache are read in one query (by segment and term: the table's key).
  const found = new Map<string, StoredBlock[]>();
  const unread = new Set<string>();
  const segmentIds = segments.map((s) => s.id);
  for (const segment of segmentIds) {
    for (const term of terms) {
      const blocks = cache.get(segment, term);
      if (blocks) found.set(`${segment}\u0000${term}`, blocks);
      else unread.add(term);
    }
  }
  if (unread.size && segmentIds.length) {
    const rows = await db
      .selectFrom("search_postings")
      .selectAll()
      .where("segment", "in", segmentIds)
      .where("term", "in", [...unread])
      .orderBy("segment")
      .orderBy("term")
      .orderBy("first_pk")
      .execute();
    const read = new Map<string, StoredBlock[]>();
    for (const row of rows) {
      const key = `${row.segment}\u0000${row.term}`;
      let blocks = read.get(key);
      if (!blocks) {
        blocks = [];
        read.set(key, blocks);
      }
      blocks.push({
        segment: row.segment,
        firstPk: row.first_pk,
        lastPk: row.last_pk,
        count: row.count,
        maxWeight: Number(row.max_weight),
        data: row.data,
      });
    }
    for (const segment of segmentIds) {
      for (const term of unread) {
        const blocks = packed(read.get(`${segment}\u0000${term}`) ?? []);
        cache.set(segment, term, blocks);
        found.set(`${segment}\u0000${term}`, blocks);
      }
    }
  }

  const dead = new Map<number, Set<number>>();
  for (const d of deadRows) {
    let set = dead.get(d.segment);
    if (!set) {
      set = new Set();
      dead.set(d.segment, set);
    }
    set.add(d.pk);
  }
  const deadSorted = new Map([...dead].map(([segment, pks]) => [segment, Int32Array.from(pks).sort()]));
  const storedAverage = new Map(segments.map((s) => [s.id, Number(s.average_length)]));

  // A term's papers are its postings less the dead ones, which a merge has not dropped yet;
  // only blocks whose key range holds a dead paper are decoded to count them.
  const holding = terms.map(() => 0);
  const perSegment: { term: number; segment: number; blocks: StoredBlock[] }[] = [];
  for (const segment of segmentIds) {
    for (const [t, term] of terms.entries()) {
      const blocks = found.get(`${segment}\u0000${term}`) ?? [];
      if (blocks.length === 0) continue;
      perSegment.push({ term: t, segment, blocks });
      const deadHere = dead.get(segment);
      const sorted = deadSorted.get(segment);
      for (const block of blocks) {
        let count = block.count;
        if (deadHere && sorted && anyBetween(sorted, block.firstPk, block.lastPk)) {
          const list = emptyList();
          appendBlock(block, list);
          for (const pk of list.pks) if (deadHere.has(pk)) count--;
        }
        holding[t] = (holding[t] ?? 0) + count;
      }
    }
  }
  const lists: TermSegment[] = perSegment.map((list) => ({
    term: list.term,
    idf: inverseDocumentFrequency(papers, holding[list.term] ?? 0) * (asked.get(terms[list.term] ?? "") ?? 1),
    storedAverage: storedAverage.get(list.segment) ?? averageLength,
    blocks: list.blocks,
    dead: dead.get(list.segment) ?? null,
  }));
  return { papers, averageLength, holding, lists };
}

/**
 * The blocks with their data copied into one buffer: the driver gives each row's data its own
 * (on PostgreSQL, its own allocation), which would cost kept blocks twice their size.
 */
function packed(blocks: StoredBlock[]): StoredBlock[] {
  const all = new Uint8Array(blocks.reduce((sum, b) => sum + b.data.byteLength, 0));
  let at = 0;
  return blocks.map((block) => {
    all.set(block.data, at);
    const data = all.subarray(at, at + block.data.byteLength);
    at += block.data.byteLength;
    return { ...block, data };
  });
}

/** Whether a sorted array holds a value from `low` to `high`. */
export function anyBetween(sorted: Int32Array, low: number, high: number): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((sorted[mid] ?? 0) < low) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && (sorted[a] ?? 0) <= high;
}
