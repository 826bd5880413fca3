/** Stars a reader can give. The API and widget both say `best: 5`. */
export const BEST = 5;

/** Votes per star, index 0 = one star. The single source of every other number. */
export type Histogram = [number, number, number, number, number];

export interface RatingSummary {
  count: number;
  sum: number;
  average: number;
  histogram: Histogram;
  best: typeof BEST;
  /** Votes imported from an earlier system: in count, sum and average, but not in the histogram. */
  earlier?: { count: number; sum: number };
}

export function emptyHistogram(): Histogram {
  return [0, 0, 0, 0, 0];
}

export function isHistogram(value: unknown): value is Histogram {
  return Array.isArray(value) && value.length === BEST && value.every((n) => Number.isInteger(n) && n >= 0);
}

/** Apply a vote change: `from` is the voter's previous rating (if any), `to` the new one (if any). */
export function applyVote(histogram: Histogram, from: number | undefined, to: number | undefined): Histogram {
  const next = [...histogram] as Histogram;
  // Never below zero: the stored aggregate may lag behind the vote keys until the next recount.
  if (from !== undefined) next[from - 1] = Math.max(0, next[from - 1]! - 1);
  if (to !== undefined) next[to - 1]! += 1;
  return next;
}

export function summarize(histogram: Histogram, earlier?: { count: number; sum: number } | null): RatingSummary {
  const before = earlier && earlier.count > 0 ? { count: earlier.count, sum: earlier.sum } : undefined;
  const count = histogram.reduce((total, n) => total + n, 0) + (before?.count ?? 0);
  const sum = histogram.reduce((total, n, index) => total + n * (index + 1), 0) + (before?.sum ?? 0);
  const average = count === 0 ? 0 : Math.round((sum / count) * 100) / 100;
  return { count, sum, average, histogram: [...histogram] as Histogram, best: BEST, ...(before ? { earlier: before } : {}) };
}
