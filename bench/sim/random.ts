/** A small seeded PRNG (mulberry32), so every profile replays the same traffic. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  token(length = 24): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let out = "";
    for (let i = 0; i < length; i += 1) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** Index in [0, n) with Zipf-like popularity (a few articles get most of the traffic). */
  zipf(n: number, cumulative: Float64Array): number {
    const x = this.next() * cumulative[n - 1]!;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid]! < x) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export function zipfWeights(n: number, exponent = 1): Float64Array {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i += 1) cumulative[i] = total += 1 / Math.pow(i + 1, exponent);
  return cumulative;
}

/** A time in [from, from + span) drawn from a day/night curve (busiest at 15:00 UTC, quietest at 03:00). */
export function diurnalTime(random: Random, from: number, span: number): number {
  for (;;) {
    const at = from + random.next() * span;
    const hour = (at / 3_600_000) % 24;
    const weight = 0.55 + 0.45 * Math.cos(((hour - 15) / 24) * 2 * Math.PI);
    if (random.next() < weight) return Math.floor(at);
  }
}
