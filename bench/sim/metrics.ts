/**
 * The simulation's own record of what the Worker accepted, and the measurements derived from it.
 * "Accepted" means the client got a success response: that is the promise the Worker made.
 */
import type { Status } from "../../worker/comments/model";

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summary(values: number[]): { n: number; p50: number | null; p99: number | null; max: number | null } {
  const sorted = [...values].sort((x, y) => x - y);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null };
}

interface ArticleRecord {
  /** Histogram of seeded votes, which the simulation never changes. */
  seeded: number[];
  /** Latest accepted rating per simulated voter token (absent: none or retracted). */
  voters: Map<string, number>;
  /** Number of votes the public count should include after each new vote: [at, count]. */
  newVotes: { at: number; count: number }[];
  /** Public counts seen by page views. */
  views: { at: number; count: number }[];
}

export interface CommentRecord {
  id: string;
  article: string;
  status: Status;
  editToken?: string;
  ownerIp?: string;
}

/** Page views this long after a vote that still leave it out mean it was lost, not just late. */
const OBSERVED_FOR_MS = 10 * 60_000;

export class SimRecord {
  readonly articles = new Map<string, ArticleRecord>();
  readonly comments = new Map<string, CommentRecord>();
  /** Accepted new voters per (client IP, article) and per (IPv6 /64 or IPv4 address, article). */
  readonly votersPerIp = new Map<string, number>();
  readonly votersPerNetwork = new Map<string, number>();
  readonly statuses = new Map<string, number>();
  readonly serverErrors = new Map<string, number>();
  readonly cpuMs = new Map<string, number[]>();
  maxPageViewBytes = 0;
  hostileWrites = 0;
  hostileRequests = 0;

  article(article: string): ArticleRecord {
    let record = this.articles.get(article);
    if (!record) this.articles.set(article, (record = { seeded: [0, 0, 0, 0, 0], voters: new Map(), newVotes: [], views: [] }));
    return record;
  }

  expectedCount(article: string): number {
    const record = this.article(article);
    return record.seeded.reduce((a, b) => a + b, 0) + record.voters.size;
  }

  expectedHistogram(article: string): number[] {
    const record = this.article(article);
    const histogram = [...record.seeded];
    for (const rating of record.voters.values()) histogram[rating - 1]! += 1;
    return histogram;
  }

  acceptVote(article: string, voter: string, rating: number, at: number, ip: string): void {
    const record = this.article(article);
    const isNew = !record.voters.has(voter);
    record.voters.set(voter, rating);
    if (!isNew) return;
    record.newVotes.push({ at, count: this.expectedCount(article) });
    bump(this.votersPerIp, `${ip}|${article}`);
    bump(this.votersPerNetwork, `${network(ip)}|${article}`);
  }

  acceptRetract(article: string, voter: string): void {
    this.article(article).voters.delete(voter);
  }

  pageView(article: string, at: number, count: number, bytes: number): void {
    this.article(article).views.push({ at, count });
    this.maxPageViewBytes = Math.max(this.maxPageViewBytes, bytes);
  }

  response(status: number, code: string | undefined): void {
    bump(this.statuses, String(status));
    if (status >= 500) bump(this.serverErrors, `${status} ${code ?? "?"}`);
  }

  cpu(kind: string, ms: number): void {
    let samples = this.cpuMs.get(kind);
    if (!samples) this.cpuMs.set(kind, (samples = []));
    samples.push(ms);
  }

  /**
   * Seconds from each accepted new vote until a page view of its article at or after it shows a
   * count at least as high as the number of votes accepted up to and including it.
   */
  staleness(only?: string): { n: number; p50: number | null; p99: number | null; max: number | null; neverSeen: number; unobserved: number } {
    const delays: number[] = [];
    let neverSeen = 0;
    // A vote after which nobody viewed the article for long enough tells nothing either way.
    let unobserved = 0;
    for (const [article, record] of this.articles) {
      if (only !== undefined && article !== only) continue;
      const { views } = record;
      let j = 0;
      let previous = -Infinity;
      for (const vote of record.newVotes) {
        // Counts only grow while voters only join; after a retract, search again from the vote's time.
        if (vote.count < previous) j = 0;
        previous = vote.count;
        while (j < views.length && (views[j]!.at < vote.at || views[j]!.count < vote.count)) j += 1;
        if (j < views.length) delays.push((views[j]!.at - vote.at) / 1000);
        else if ((views.at(-1)?.at ?? -Infinity) - vote.at >= OBSERVED_FOR_MS) neverSeen += 1;
        else unobserved += 1;
      }
    }
    return { ...summary(delays), neverSeen, unobserved };
  }

  /** How long after `from` page views of `article` kept showing a count other than the accepted one. */
  wrongCountUntil(article: string, from: number): number | null {
    const record = this.article(article);
    const seeded = record.seeded.reduce((a, b) => a + b, 0);
    let lastWrong: number | null = null;
    let k = 0;
    for (const view of record.views) {
      while (k < record.newVotes.length && record.newVotes[k]!.at <= view.at) k += 1;
      const expected = k === 0 ? seeded : record.newVotes[k - 1]!.count;
      if (view.at >= from && view.count !== expected) lastWrong = view.at;
    }
    return lastWrong === null ? 0 : (lastWrong - from) / 1000;
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** An IPv6 address's /64, or an IPv4 address itself. */
export function network(ip: string): string {
  if (!ip.includes(":")) return ip;
  return ip.split(":").slice(0, 4).join(":");
}

export function maxValue(map: Map<string, number>): number {
  let max = 0;
  for (const value of map.values()) max = Math.max(max, value);
  return max;
}
