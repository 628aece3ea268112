/** Seeded randomness for the generator: the same seed gives the same corpus on any machine. */

/** sfc32, seeded through splitmix32: small, fast, and good enough for synthetic data. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.below(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}

/** A stateless 32-bit hash of two numbers, for properties that must not depend on drawing order. */
export function hash2(x: number, y: number): number {
  let h = Math.imul(x ^ 0x27d4eb2d, 0x165667b1) ^ Math.imul(y + 0x61c88647, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae3d);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Draws indexes in proportion to weights in constant time (Vose's alias method). */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error("an alias table needs at least one weight");
    const total = weights.reduce((sum, w) => sum + w, 0);
    if (!(total > 0)) throw new Error("an alias table needs a positive total weight");
    this.probability = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => {
      (p < 1 ? small : large).push(i);
    });
    while (small.length && large.length) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.probability[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l] as number) < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.probability[i] = 1;
  }

  draw(random: Random): number {
    const i = random.below(this.probability.length);
    return random.next() < (this.probability[i] as number) ? i : (this.alias[i] as number);
  }
}

/** Picks a key of a weight record. */
export class WeightedChoice<K extends string> {
  private readonly keys: K[];
  private readonly table: AliasTable;

  constructor(weights: Partial<Record<K, number>>) {
    const entries = Object.entries(weights).filter(([, w]) => (w as number) > 0) as [K, number][];
    this.keys = entries.map(([k]) => k);
    this.table = new AliasTable(entries.map(([, w]) => w));
  }

  draw(random: Random): K {
    return this.keys[this.table.draw(random)] as K;
  }
}

/**
 * A rank in [0, size) from a power law P(k) ∝ (k + offset)^-exponent (continuous inverse
 * transform, exponent ≠ 1): a few ranks drawn very often, a long tail drawn once or never.
 */
export function powerLawRank(random: Random, size: number, offset: number, exponent: number): number {
  const e = 1 - exponent;
  const lo = offset ** e;
  const hi = (size + offset) ** e;
  const x = (lo + random.next() * (hi - lo)) ** (1 / e) - offset;
  return Math.min(size - 1, Math.max(0, Math.floor(x)));
}
