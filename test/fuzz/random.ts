// A small seeded PRNG (mulberry32): every fuzz input is a pure function of (seed, target, iteration),
// so a crash found by scripts/fuzz.mjs or by the test suite can be regenerated from its numbers alone.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one iteration, independent of every other iteration's draws. */
  static forIteration(seed: number, target: string, iteration: number): Random {
    let h = 2166136261 ^ seed;
    for (let i = 0; i < target.length; i++) h = Math.imul(h ^ target.charCodeAt(i), 16777619);
    h = Math.imul(h ^ iteration, 2654435761);
    return new Random(h ^ (h >>> 15));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n); 0 when n <= 0. */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Small counts are likelier than large ones (most mutations should stay near a valid input). */
  small(max: number): number {
    return Math.min(max, 1 + Math.floor(-Math.log(1 - this.next()) * 1.5));
  }
}
