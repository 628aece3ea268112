/**
 * The keyword index's postings: for one term, the papers holding it in increasing key order,
 * each with how often the term occurs in its title, abstract and author names and how many
 * words the paper has (bm25's document length). Stored in blocks of up to BLOCK_SIZE postings,
 * each block with the largest bm25 term weight among its postings, which is what lets a search
 * skip papers that cannot reach its top results (see ranking.ts).
 */

/** bm25's term-frequency saturation and length normalization, as in SQLite's FTS5. */
export const K1 = 1.2;
export const B = 0.75;

/** How much an occurrence counts in each field (FTS5's bm25(papers_fts, 3, 1, 1)). */
export const FIELD_WEIGHTS = { title: 3, abstract: 1, authors: 1 } as const;

export const BLOCK_SIZE = 128;

// A term's counts in a paper's three fields share one number: title, abstract and authors in
// 20 bits each (no field has a million words), so counting a word is one addition.
export const TITLE_UNIT = 1;
export const ABSTRACT_UNIT = 2 ** 20;
export const AUTHORS_UNIT = 2 ** 40;

const titleOf = (packed: number) => packed % ABSTRACT_UNIT;
const abstractOf = (packed: number) => Math.floor(packed / ABSTRACT_UNIT) % ABSTRACT_UNIT;
const authorsOf = (packed: number) => Math.floor(packed / AUTHORS_UNIT);

/** The field-weighted count of a term in a paper, from its packed counts. */
export const weightedFrequency = (packed: number) =>
  FIELD_WEIGHTS.title * titleOf(packed) +
  FIELD_WEIGHTS.abstract * abstractOf(packed) +
  FIELD_WEIGHTS.authors * authorsOf(packed);

/** A term's postings in increasing key order, as parallel arrays. */
export interface PostingList {
  pks: number[];
  /** Packed field counts (TITLE_UNIT, ABSTRACT_UNIT, AUTHORS_UNIT). */
  counts: number[];
  /** Words in the paper, all fields and stop words included. */
  lengths: number[];
}

export const emptyList = (): PostingList => ({ pks: [], counts: [], lengths: [] });

/** A term's postings in increasing key order, as read for encoding. */
export interface PostingColumns {
  pks: ArrayLike<number>;
  counts: ArrayLike<number>;
  lengths: ArrayLike<number>;
}

/** bm25's weight of a term in a paper, idf aside. */
export function termWeight(frequency: number, length: number, averageLength: number): number {
  return (frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * length) / averageLength));
}

/** Okapi idf as FTS5 computes it, kept just above 0 for terms in over half the papers. */
export function inverseDocumentFrequency(papers: number, holding: number): number {
  const idf = Math.log((papers - holding + 0.5) / (holding + 0.5));
  return idf > 0 ? idf : 1e-6;
}

/**
 * How much larger a weight computed with another average length can be: termWeight grows with
 * the average length, at most in proportion to it (and never when it shrinks), so a block's
 * maximum stored for `storedAverage` times this bounds every weight in it at `averageLength`.
 */
export function weightScale(averageLength: number, storedAverage: number): number {
  return Math.max(1, averageLength / storedAverage);
}

/** One block as stored: its key range and size beside the encoded postings. */
export interface EncodedBlock {
  firstPk: number;
  lastPk: number;
  count: number;
  /** The largest termWeight of its postings at the segment's average length. */
  maxWeight: number;
  data: Uint8Array;
}

/** A growing byte buffer for encoding. */
class Bytes {
  buffer = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  varint(value: number): void {
    this.room(10);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buffer[this.length++] = v;
  }

  take(): Uint8Array {
    const out = this.buffer.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

// Counts usually fit one byte: title 0–3 (2 bits), authors 0–1 (1 bit), abstract 0–30
// (5 bits); anything larger is the escape byte 0xff (abstract 31) followed by three varints.
const ESCAPE = 0xff;

const encoded = new Bytes();

/** Encodes a posting list into blocks, each block's maximum weight computed at `averageLength`. */
export function encodeBlocks(list: PostingColumns, averageLength: number): EncodedBlock[] {
  const blocks: EncodedBlock[] = [];
  const bytes = encoded;
  for (let start = 0; start < list.pks.length; start += BLOCK_SIZE) {
    const end = Math.min(list.pks.length, start + BLOCK_SIZE);
    const firstPk = list.pks[start] ?? 0;
    let previous = firstPk;
    let maxWeight = 0;
    for (let i = start; i < end; i++) {
      const pk = list.pks[i] ?? 0;
      const packed = list.counts[i] ?? 0;
      const length = list.lengths[i] ?? 0;
      bytes.varint(pk - previous);
      previous = pk;
      const title = titleOf(packed);
      const abstract = abstractOf(packed);
      const authors = authorsOf(packed);
      if (title <= 3 && authors <= 1 && abstract <= 30) {
        bytes.byte(title | (authors << 2) | (abstract << 3));
      } else {
        bytes.byte(ESCAPE);
        bytes.varint(title);
        bytes.varint(abstract);
        bytes.varint(authors);
      }
      bytes.varint(length);
      maxWeight = Math.max(maxWeight, termWeight(weightedFrequency(packed), length, averageLength));
    }
    blocks.push({ firstPk, lastPk: previous, count: end - start, maxWeight, data: bytes.take() });
  }
  return blocks;
}

/** Calls `each` with every posting of a block, in key order. */
function forEachPosting(
  block: Pick<EncodedBlock, "firstPk" | "count" | "data">,
  each: (pk: number, counts: number, length: number) => void,
): void {
  const { data, count } = block;
  let at = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = data[at++] ?? 0;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  let pk = block.firstPk;
  for (let i = 0; i < count; i++) {
    pk += varint();
    const packed = data[at++] ?? 0;
    const counts =
      packed === ESCAPE
        ? varint() * TITLE_UNIT + varint() * ABSTRACT_UNIT + varint() * AUTHORS_UNIT
        : (packed & 3) * TITLE_UNIT + (packed >> 3) * ABSTRACT_UNIT + ((packed >> 2) & 1) * AUTHORS_UNIT;
    each(pk, counts, varint());
  }
}

/** Adds a block's postings to a list, leaving out those `skip` names. */
export function appendBlock(
  block: Pick<EncodedBlock, "firstPk" | "count" | "data">,
  list: PostingList,
  skip?: (pk: number) => boolean,
): void {
  forEachPosting(block, (pk, counts, length) => {
    if (skip?.(pk)) return;
    list.pks.push(pk);
    list.counts.push(counts);
    list.lengths.push(length);
  });
}

/** The array, or a copy of it with room for at least `size` entries. */
export const grown = <T extends Int32Array | Float64Array>(array: T, size: number): T => {
  if (size <= array.length) return array;
  const copy = new (array.constructor as { new (n: number): T })(Math.max(size, array.length * 2));
  copy.set(array);
  return copy;
};

/**
 * One term's postings gathered from several segments' blocks, in arrays reused from term to
 * term (a merge rewrites millions of postings).
 */
export class PostingBuffer implements PostingColumns {
  pks: Int32Array = new Int32Array(1024);
  counts: Float64Array = new Float64Array(1024);
  lengths: Int32Array = new Int32Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  /** Adds a block's postings, leaving out those `skip` names. */
  append(block: Pick<EncodedBlock, "firstPk" | "count" | "data">, skip: Set<number> | undefined): void {
    const room = this.length + block.count;
    this.pks = grown(this.pks, room);
    this.counts = grown(this.counts, room);
    this.lengths = grown(this.lengths, room);
    forEachPosting(block, (pk, counts, length) => {
      if (skip?.has(pk)) return;
      const at = this.length++;
      this.pks[at] = pk;
      this.counts[at] = counts;
      this.lengths[at] = length;
    });
  }

  /**
   * The postings gathered, in key order. Blocks come in key order within a segment, but a paper
   * indexed again in a later segment may come before postings of an earlier one.
   */
  sorted(): PostingColumns {
    const n = this.length;
    const pks = this.pks.subarray(0, n);
    let ordered = true;
    for (let i = 1; i < n && ordered; i++) ordered = (pks[i - 1] as number) < (pks[i] as number);
    if (ordered) return { pks, counts: this.counts.subarray(0, n), lengths: this.lengths.subarray(0, n) };
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (pks[a] as number) - (pks[b] as number));
    return {
      pks: Int32Array.from(order, (i) => pks[i] as number),
      counts: Float64Array.from(order, (i) => this.counts[i] as number),
      lengths: Int32Array.from(order, (i) => this.lengths[i] as number),
    };
  }
}

/** A decoded block for ranking: parallel arrays, the weighted frequency instead of the three counts. */
export interface DecodedBlock {
  pks: Int32Array;
  frequencies: Float64Array;
  lengths: Int32Array;
}

/** Decodes a block for ranking; written out as one loop, since ranking decodes hundreds of thousands of postings. */
export function decodeBlock(block: Pick<EncodedBlock, "firstPk" | "count" | "data">): DecodedBlock {
  const { data, count } = block;
  const pks = new Int32Array(count);
  const frequencies = new Float64Array(count);
  const lengths = new Int32Array(count);
  const { title: wt, abstract: wa, authors: wu } = FIELD_WEIGHTS;
  let at = 0;
  let pk = block.firstPk;
  for (let i = 0; i < count; i++) {
    let byte = data[at++] as number;
    let delta = byte & 0x7f;
    for (let scale = 128; byte >= 0x80; scale *= 128) {
      byte = data[at++] as number;
      delta += (byte & 0x7f) * scale;
    }
    pk += delta;
    pks[i] = pk;
    const packed = data[at++] as number;
    if (packed === ESCAPE) {
      const counts = [0, 0, 0];
      for (let c = 0; c < 3; c++) {
        byte = data[at++] as number;
        let value = byte & 0x7f;
        for (let scale = 128; byte >= 0x80; scale *= 128) {
          byte = data[at++] as number;
          value += (byte & 0x7f) * scale;
        }
        counts[c] = value;
      }
      frequencies[i] = wt * (counts[0] as number) + wa * (counts[1] as number) + wu * (counts[2] as number);
    } else {
      frequencies[i] = wt * (packed & 3) + wa * (packed >> 3) + wu * ((packed >> 2) & 1);
    }
    byte = data[at++] as number;
    let length = byte & 0x7f;
    for (let scale = 128; byte >= 0x80; scale *= 128) {
      byte = data[at++] as number;
      length += (byte & 0x7f) * scale;
    }
    lengths[i] = length;
  }
  return { pks, frequencies, lengths };
}
