import { type DecodedBlock, decodeBlock, type EncodedBlock, termWeight, weightScale } from "./postings.ts";

/** One stored block of a term's postings in one segment. */
export interface StoredBlock extends EncodedBlock {
  segment: number;
}

/** A query term with its postings in one segment: the lists ranking walks. */
export interface TermSegment {
  /** Index of the term in the query, for callers that want per-term detail. */
  term: number;
  idf: number;
  /** The average length the segment's block maxima were computed with. */
  storedAverage: number;
  blocks: StoredBlock[];
  /** Papers whose postings in this segment are dead. */
  dead: ReadonlySet<number> | null;
}

export interface RankedPaper {
  pk: number;
  score: number;
}

// Bounds are inflated by this factor so that rounding in sums taken in another order can never
// make a bound fall below a score it covers.
const BOUND_SLACK = 1 + 1e-9;

/**
 * A paper's score, its last bits rounded away (to 36 significant bits): papers that tie exactly
 * (the same words, as often) get exactly the same score whichever order their terms' weights
 * were added in, so ties always go to the higher key.
 */
export function settledScore(sum: number): number {
  if (sum <= 0) return 0;
  const quantum = 2 ** (Math.floor(Math.log2(sum)) - 36);
  return Math.round(sum / quantum) * quantum;
}

/**
 * Walks one term's postings in one segment in key order. A block is decoded only when a weight
 * or a key inside it is needed: entering a block gives its first key from the stored bounds.
 */
class SegmentCursor {
  readonly upperBound: number;
  pk = Number.POSITIVE_INFINITY;
  private readonly scale: number;
  private block = -1;
  private decoded: DecodedBlock | null = null;
  private at = 0;
  /** The block boundAt last looked at: asked in ascending keys, it only moves forward. */
  private probe = 0;

  constructor(
    private readonly list: TermSegment,
    private readonly averageLength: number,
  ) {
    this.scale = weightScale(averageLength, list.storedAverage) * list.idf * BOUND_SLACK;
    let max = 0;
    for (const b of list.blocks) max = Math.max(max, b.maxWeight);
    this.upperBound = max * this.scale;
    this.enterBlock(0);
  }

  /** The bound on this term's weight for any paper in the block that would hold `pk`, without decoding it. */
  boundAt(pk: number): number {
    const blocks = this.list.blocks;
    let i = Math.max(this.block, this.probe, 0);
    while (i < blocks.length && (blocks[i]?.lastPk ?? 0) < pk) i++;
    this.probe = i;
    const block = blocks[i];
    if (!block || block.firstPk > pk) return 0;
    return block.maxWeight * this.scale;
  }

  weight(): number {
    const d = this.ensureDecoded();
    if (!d) return 0;
    return this.list.idf * termWeight(d.frequencies[this.at] ?? 0, d.lengths[this.at] ?? 0, this.averageLength);
  }

  advance(): void {
    this.ensureDecoded();
    this.at++;
    this.settle();
  }

  /** Moves to the first live posting at or after `target`. */
  seek(target: number): void {
    if (this.pk >= target) return;
    const blocks = this.list.blocks;
    let i = this.block;
    while (i < blocks.length && (blocks[i]?.lastPk ?? 0) < target) i++;
    if (i !== this.block) {
      this.enterBlock(i);
      if (this.pk >= target) return;
    }
    const pks = this.ensureDecoded()?.pks;
    if (!pks) return;
    // Binary search within the block for the first key at or after the target.
    let low = this.at;
    let high = pks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((pks[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    this.at = low;
    this.settle();
  }

  private enterBlock(index: number): void {
    this.block = index;
    this.at = 0;
    this.decoded = null;
    const block = this.list.blocks[index];
    if (!block) {
      this.pk = Number.POSITIVE_INFINITY;
    } else if (this.list.dead?.has(block.firstPk)) {
      this.ensureDecoded();
      this.settle();
    } else {
      this.pk = block.firstPk;
    }
  }

  private ensureDecoded(): DecodedBlock | null {
    if (!this.decoded) {
      const block = this.list.blocks[this.block];
      this.decoded = block ? decodeBlock(block) : null;
    }
    return this.decoded;
  }

  /** Sets pk from the position, stepping over dead postings and into the next block at a block's end. */
  private settle(): void {
    for (;;) {
      const d = this.decoded;
      if (!d) {
        this.pk = Number.POSITIVE_INFINITY;
        return;
      }
      if (this.at >= d.pks.length) {
        this.enterBlock(this.block + 1);
        return;
      }
      const pk = d.pks[this.at] ?? 0;
      if (this.list.dead?.has(pk)) {
        this.at++;
        continue;
      }
      this.pk = pk;
      return;
    }
  }
}

/**
 * Walks one term's postings across the segments holding it. A paper's live postings of a term
 * are all in one segment (indexing a paper again marks its earlier postings dead), so the term
 * adds at most its best segment's bound to a paper, not the sum of them: bounds stay as tight
 * as with one segment.
 */
class TermCursor {
  readonly upperBound: number;
  pk: number;

  constructor(private readonly parts: SegmentCursor[]) {
    this.upperBound = parts.reduce((max, p) => Math.max(max, p.upperBound), 0);
    this.pk = this.lowest();
  }

  boundAt(pk: number): number {
    let bound = 0;
    for (const p of this.parts) bound = Math.max(bound, p.boundAt(pk));
    return bound;
  }

  weight(): number {
    for (const p of this.parts) if (p.pk === this.pk) return p.weight();
    return 0;
  }

  advance(): void {
    const at = this.pk;
    for (const p of this.parts) if (p.pk === at) p.advance();
    this.pk = this.lowest();
  }

  seek(target: number): void {
    if (this.pk >= target) return;
    for (const p of this.parts) p.seek(target);
    this.pk = this.lowest();
  }

  private lowest(): number {
    let pk = Number.POSITIVE_INFINITY;
    for (const p of this.parts) pk = Math.min(pk, p.pk);
    return pk;
  }
}

/** The k best so far, worst on top; ties go to the higher key, as in `ORDER BY score DESC, pk DESC`. */
class TopK {
  private readonly heap: RankedPaper[] = [];
  constructor(private readonly k: number) {}

  private static worse(a: RankedPaper, b: RankedPaper): boolean {
    return a.score < b.score || (a.score === b.score && a.pk < b.pk);
  }

  get full(): boolean {
    return this.heap.length >= this.k;
  }

  /** The score a paper must reach (and, on a tie, beat by key) to get in; -Infinity while not full. */
  get threshold(): number {
    return this.full ? (this.heap[0]?.score ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
  }

  offer(pk: number, score: number): boolean {
    const entry = { pk, score };
    const heap = this.heap;
    if (!this.full) {
      heap.push(entry);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!TopK.worse(heap[i] as RankedPaper, heap[parent] as RankedPaper)) break;
        [heap[i], heap[parent]] = [heap[parent] as RankedPaper, heap[i] as RankedPaper];
        i = parent;
      }
      return true;
    }
    if (!TopK.worse(heap[0] as RankedPaper, entry)) return false;
    heap[0] = entry;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && TopK.worse(heap[left] as RankedPaper, heap[smallest] as RankedPaper)) smallest = left;
      if (right < heap.length && TopK.worse(heap[right] as RankedPaper, heap[smallest] as RankedPaper))
        smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest] as RankedPaper, heap[i] as RankedPaper];
      i = smallest;
    }
    return true;
  }

  /** Best first. */
  sorted(): RankedPaper[] {
    return [...this.heap].sort((a, b) => b.score - a.score || b.pk - a.pk);
  }
}

export interface RankingResult {
  papers: RankedPaper[];
  /** Papers holding any of the terms (and allowed), when every one was looked at; else null. */
  matched: number | null;
}

/**
 * The k papers with the highest bm25 over any of the terms, exactly as scoring every paper
 * that holds one would rank them (ties to the higher key), by MaxScore (Turtle & Flood 1995):
 * lists are ordered by the most their term can add to a paper; once the k-th best score is
 * more than the lists with the smallest bounds can add together, a paper found only in those
 * lists cannot get in, so only the other ("essential") lists are walked for candidates, and the
 * rest are looked up for a candidate only while the bounds (per block) still let it in.
 *
 * With `allowed` (sorted keys), only those papers rank: each is looked up in every list. With
 * `exhaustive`, every paper holding a term is scored (the reference pruning must equal).
 */
export function rankTopK(
  lists: TermSegment[],
  k: number,
  averageLength: number,
  { allowed, exhaustive = false }: { allowed?: Int32Array; exhaustive?: boolean } = {},
): RankingResult {
  const top = new TopK(k);
  const byTerm = new Map<number, SegmentCursor[]>();
  for (const list of lists) {
    const parts = byTerm.get(list.term) ?? [];
    parts.push(new SegmentCursor(list, averageLength));
    byTerm.set(list.term, parts);
  }
  const cursors = [...byTerm.values()]
    .map((parts) => new TermCursor(parts))
    .sort((a, b) => a.upperBound - b.upperBound);
  if (k <= 0 || cursors.length === 0) return { papers: [], matched: 0 };

  if (allowed) {
    let matched = 0;
    for (const pk of allowed) {
      let score = 0;
      let found = false;
      for (const c of cursors) {
        c.seek(pk);
        if (c.pk === pk) {
          score += c.weight();
          found = true;
        }
      }
      if (found) {
        matched++;
        top.offer(pk, settledScore(score));
      }
    }
    return { papers: top.sorted(), matched };
  }

  // bounds[i]: the most cursors 0..i can add together.
  const bounds: number[] = [];
  for (const [i, c] of cursors.entries()) bounds.push((bounds[i - 1] ?? 0) + c.upperBound);
  let firstEssential = 0;
  let matched = 0;
  let visitedAll = true;
  for (;;) {
    let pk = Number.POSITIVE_INFINITY;
    for (let i = firstEssential; i < cursors.length; i++) pk = Math.min(pk, cursors[i]?.pk ?? pk);
    if (pk === Number.POSITIVE_INFINITY) break;
    matched++;
    let score = 0;
    for (let i = firstEssential; i < cursors.length; i++) {
      const c = cursors[i] as TermCursor;
      if (c.pk === pk) {
        score += c.weight();
        c.advance();
      }
    }
    const threshold = top.threshold;
    let possible = true;
    for (let i = firstEssential - 1; i >= 0; i--) {
      const c = cursors[i] as TermCursor;
      // (Scaled by the slack too: the threshold is a settled score, rounded up to 2^-36 or less.)
      if ((score + (bounds[i] ?? 0)) * BOUND_SLACK < threshold) {
        possible = false;
        break;
      }
      // The bound of the block that would hold the paper is tighter than the term's: checked
      // before the block is decoded.
      if ((score + c.boundAt(pk) + (bounds[i - 1] ?? 0)) * BOUND_SLACK < threshold) {
        possible = false;
        break;
      }
      c.seek(pk);
      if (c.pk === pk) score += c.weight();
    }
    if (!possible || !top.offer(pk, settledScore(score)) || !top.full || exhaustive) continue;
    const raised = top.threshold;
    while (firstEssential < cursors.length && (bounds[firstEssential] ?? 0) < raised) {
      firstEssential++;
      visitedAll = false;
    }
  }
  return { papers: top.sorted(), matched: visitedAll ? matched : null };
}
