/** Billing and limit counters of the KV model, kept per UTC day, and their snapshots. */

export interface KvCounts {
  reads: number;
  writes: number;
  deletes: number;
  lists: number;
}

export type KvKind = keyof KvCounts;

export const zeroCounts = (): KvCounts => ({ reads: 0, writes: 0, deletes: 0, lists: 0 });

export function addCounts(into: KvCounts, from: KvCounts): KvCounts {
  into.reads += from.reads;
  into.writes += from.writes;
  into.deletes += from.deletes;
  into.lists += from.lists;
  return into;
}

export function subtractCounts(after: KvCounts, before: KvCounts): KvCounts {
  return { reads: after.reads - before.reads, writes: after.writes - before.writes, deletes: after.deletes - before.deletes, lists: after.lists - before.lists };
}

/** Upper bounds of the per-invocation operation histogram's buckets; the last bucket is "over 1000". */
export const OPS_BUCKETS = [0, 1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

export function opsBucket(ops: number): string {
  const bound = OPS_BUCKETS.find((limit) => ops <= limit);
  return bound === undefined ? ">1000" : `<=${bound}`;
}

export interface LabelStats {
  invocations: number;
  maxOps: number;
  ops: number;
}

export interface KvStats {
  /** Billed operations (a bulk get bills one read per key, as Cloudflare's pricing says). */
  total: KvCounts;
  /** Billed operations per UTC day, "YYYY-MM-DD". */
  byDay: Record<string, KvCounts>;
  refused: {
    /** Refused by the Free plan's daily quotas (not billed). */
    quota: KvCounts;
    /** Writes and deletes refused by the 1-write-per-second-per-key rule. */
    writeRate: number;
    /** The same, by key family (the key up to its first ":"). */
    writeRateByFamily: Record<string, number>;
    /** Operations refused because the invocation had already made 1,000. */
    invocationLimit: number;
  };
  invocations: {
    count: number;
    /** Operations attempted by the busiest invocation (refused ones included). */
    maxOps: number;
    maxOpsLabel: string | null;
    histogram: Record<string, number>;
    /** Invocations that attempted more than 1,000 operations. */
    overLimit: number;
    byLabel: Record<string, LabelStats>;
  };
  largestValue: { bytes: number; key: string | null };
}

const DAY_MS = 86_400_000;
let lastDay = { index: NaN, name: "" };

/** The UTC day of an instant, "YYYY-MM-DD" (remembered: every billed operation asks). */
export function dayOf(ms: number): string {
  const index = Math.floor(ms / DAY_MS);
  if (index !== lastDay.index) lastDay = { index, name: new Date(index * DAY_MS).toISOString().slice(0, 10) };
  return lastDay.name;
}

/** The counters only; `snapshot()` turns them into a plain, independent `KvStats`. */
export class StatsBook {
  total = zeroCounts();
  readonly byDay = new Map<string, KvCounts>();
  readonly refusedQuota = zeroCounts();
  writeRate = 0;
  readonly writeRateByFamily = new Map<string, number>();
  invocationLimit = 0;
  largestValue = { bytes: 0, key: null as string | null };
  readonly invocationStats: KvStats["invocations"] = { count: 0, maxOps: 0, maxOpsLabel: null, histogram: {}, overLimit: 0, byLabel: {} };

  today(ms: number): KvCounts {
    const day = dayOf(ms);
    let counts = this.byDay.get(day);
    if (!counts) this.byDay.set(day, (counts = zeroCounts()));
    return counts;
  }

  bill(ms: number, kind: KvKind, n: number): void {
    this.total[kind] += n;
    this.today(ms)[kind] += n;
  }

  refuseWrite(key: string): void {
    this.writeRate += 1;
    const family = key.split(":", 1)[0]!;
    this.writeRateByFamily.set(family, (this.writeRateByFamily.get(family) ?? 0) + 1);
  }

  /** Fold a finished invocation into the aggregates. */
  recordInvocation(label: string, ops: number): void {
    foldInvocation(this.invocationStats, label, ops);
  }

  /** A plain, independent copy; `open` invocations are counted as they stand. */
  snapshot(open: Iterable<{ label: string; ops: number }> = []): KvStats {
    const copy = <V>(map: Map<string, V>, clone: (v: V) => V) => Object.fromEntries([...map].map(([k, v]) => [k, clone(v)]));
    const own = this.invocationStats;
    const invocations = { ...own, histogram: { ...own.histogram }, byLabel: Object.fromEntries(Object.entries(own.byLabel).map(([k, v]) => [k, { ...v }])) };
    for (const { label, ops } of open) foldInvocation(invocations, label, ops);
    return {
      invocations,
      total: { ...this.total },
      byDay: copy(this.byDay, (c) => ({ ...c })),
      refused: {
        quota: { ...this.refusedQuota },
        writeRate: this.writeRate,
        writeRateByFamily: copy(this.writeRateByFamily, (n) => n),
        invocationLimit: this.invocationLimit,
      },
      largestValue: { ...this.largestValue },
    };
  }
}

function foldInvocation(into: KvStats["invocations"], label: string, ops: number): void {
  into.count += 1;
  if (ops > into.maxOps) {
    into.maxOps = ops;
    into.maxOpsLabel = label;
  }
  if (ops > 1000) into.overLimit += 1;
  const bucket = opsBucket(ops);
  into.histogram[bucket] = (into.histogram[bucket] ?? 0) + 1;
  const byLabel = (into.byLabel[label] ??= { invocations: 0, maxOps: 0, ops: 0 });
  byLabel.invocations += 1;
  byLabel.maxOps = Math.max(byLabel.maxOps, ops);
  byLabel.ops += ops;
}
