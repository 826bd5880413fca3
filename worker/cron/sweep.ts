import { commentKeys } from "../comments/keys";
import type { CommentMetadata } from "../comments/model";
import { THREAD_LAYOUT, type ThreadHead, type HeadMetadata } from "../comments/thread";
import type { RepairThread } from "./repairs";
import { listAll, listPages, OutOfBudget } from "../lib/kv";
import { earlierKeys, ratingKeys, resetKeys, type AggregateMetadata, type EarlierMetadata, type StoredAggregate, type StoredEarlier, type VoteMetadata } from "../ratings/keys";
import { SETTLE_MS } from "../lib/consistency";
import { aggregateValue, countedEarlier, sameEarlier, writeAggregate } from "../ratings/recount";
import { agreeCorrection } from "../ratings/running";
import { addVote, emptyTally, sameHistogram, trimRecent, type Tally } from "../ratings/tally";

/** Characters of publicId (base64url): a sweep splits a prefix too big for one run into these. */
const ID_ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
/** Article ids are 22 characters; a prefix this long is a single article and cannot be split. */
const MAX_PREFIX = 22;

export interface SweepReport {
  prefixes: number;
  ratingsCorrected: number;
  threadsRebuilt: number;
  /** Prefixes split because they did not fit one run's KV budget. */
  split: number;
  /** Single articles too big for one run (logged; they keep their materialised values). */
  skipped: string[];
  /** Threads to repair whose writer could not take it this run: handed to the next runs. */
  deferred: { a: string; article: string }[];
}

export const emptySweepReport = (): SweepReport => ({ prefixes: 0, ratingsCorrected: 0, threadsRebuilt: 0, split: 0, skipped: [], deferred: [] });

interface RatingSide {
  aggregates: Map<string, AggregateMetadata | undefined>;
  resets: Map<string, number>;
  tallies: Map<string, Tally>;
  earlier: Map<string, EarlierMetadata | undefined>;
}

async function tallyRatings(kv: KVNamespace, prefix: string, now: number): Promise<RatingSide> {
  const side: RatingSide = { aggregates: new Map(), resets: new Map(), tallies: new Map(), earlier: new Map() };
  for await (const key of listAll<AggregateMetadata>(kv, ratingKeys.aggregatePrefix + prefix)) {
    side.aggregates.set(key.name.slice(ratingKeys.aggregatePrefix.length), key.metadata ?? undefined);
  }
  for await (const key of listAll<{ t: number }>(kv, resetKeys.prefix + prefix)) {
    side.resets.set(key.name.slice(resetKeys.prefix.length), key.metadata?.t ?? 0);
  }
  for await (const key of listAll<EarlierMetadata>(kv, earlierKeys.prefix + prefix)) {
    side.earlier.set(key.name.slice(earlierKeys.prefix.length), key.metadata ?? undefined);
  }
  for await (const keys of listPages<VoteMetadata>(kv, ratingKeys.allVotesPrefix + prefix)) {
    for (const key of keys) {
      const a = key.name.slice(ratingKeys.allVotesPrefix.length, key.name.lastIndexOf(":"));
      if ((key.metadata?.t ?? 0) <= (side.resets.get(a) ?? 0)) continue;
      let tally = side.tallies.get(a);
      if (!tally) side.tallies.set(a, (tally = emptyTally()));
      addVote(tally, key.metadata ?? undefined, now);
    }
  }
  return side;
}

async function correctRatings(kv: KVNamespace, side: RatingSide, now: number, report: SweepReport): Promise<void> {
  for (const a of new Set([...side.aggregates.keys(), ...side.tallies.keys(), ...side.earlier.keys()])) {
    const stored = side.aggregates.get(a);
    const tally = side.tallies.get(a) ?? emptyTally();
    const earlier = countedEarlier(side.earlier.get(a), side.resets.get(a) ?? 0);
    // Written moments ago: the list may not show the vote behind that write yet.
    if (stored && now - stored.t < SETTLE_MS) continue;
    if (stored?.h && sameHistogram(stored.h, tally.histogram) && sameEarlier(stored.e && { count: stored.e[0], sum: stored.e[1] }, earlier)) continue;
    if (!stored && !side.aggregates.has(a) && tally.histogram.every((n) => n === 0) && !earlier) continue;
    const current = await kv.get<StoredAggregate>(ratingKeys.aggregate(a), "json");
    // The list runs behind a recount this very run made of a hot article: KV would refuse a second write within the second.
    if (current && now - current.updatedAt < SETTLE_MS) continue;
    const article = current?.article ?? (earlier ? (await kv.get<StoredEarlier>(earlierKeys.earlier(a), "json"))?.article : undefined) ?? "";
    tally.recent = trimRecent(tally.recent, now);
    // A running tally that counted a vote since the listing's blind spot began knows better.
    if (!(await agreeCorrection(kv, a, aggregateValue(article, tally, now, earlier), now - SETTLE_MS, true))) continue;
    await writeAggregate(kv, a, article, tally, now, earlier);
    report.ratingsCorrected += 1;
  }
}

interface ThreadSide {
  heads: Map<string, HeadMetadata | undefined>;
  published: Map<string, { count: number; anyKey: string }>;
}

async function countThreads(kv: KVNamespace, prefix: string): Promise<ThreadSide> {
  const side: ThreadSide = { heads: new Map(), published: new Map() };
  for await (const key of listAll<HeadMetadata>(kv, commentKeys.headPrefix + prefix)) {
    side.heads.set(key.name.slice(commentKeys.headPrefix.length), key.metadata ?? undefined);
  }
  for await (const key of listAll<CommentMetadata>(kv, commentKeys.allCommentsPrefix + prefix)) {
    const a = key.name.slice(commentKeys.allCommentsPrefix.length, key.name.lastIndexOf(":"));
    const entry = side.published.get(a) ?? { count: 0, anyKey: key.name };
    if (key.metadata?.s === "approved") entry.count += 1;
    side.published.set(a, entry);
  }
  return side;
}

async function healThreads(kv: KVNamespace, repair: RepairThread, side: ThreadSide, now: number, report: SweepReport): Promise<void> {
  for (const [a, { count, anyKey }] of side.published) {
    const head = side.heads.get(a);
    if (head && now - head.t < SETTLE_MS) continue;
    // Counts agree and the head is in today's layout (or there is nothing to show): nothing to do.
    if ((head?.n ?? 0) === count && (head ? head.v === THREAD_LAYOUT : count === 0)) continue;
    const article =
      (await kv.get<ThreadHead>(commentKeys.head(a), "json"))?.article ?? (await kv.get<{ article: string }>(anyKey, "json"))?.article;
    if (article === undefined) continue;
    const result = await repair(a, article);
    if (result === "rebuilt") report.threadsRebuilt += 1;
    if (result === "later") report.deferred.push({ a, article });
  }
}

/** Check every article under one id prefix: aggregates against votes, thread heads against comments. */
async function sweepPrefix(kv: KVNamespace, repair: RepairThread, prefix: string, now: number, report: SweepReport): Promise<void> {
  const ratings = await tallyRatings(kv, prefix, now);
  const threads = await countThreads(kv, prefix);
  await correctRatings(kv, ratings, now, report);
  await healThreads(kv, repair, threads, now, report);
  report.prefixes += 1;
}

/**
 * Work through a queue of id prefixes until it is empty or the invocation's KV budget runs out.
 * A prefix that does not fit a whole run's budget is replaced by its 64 sub-prefixes, so any site
 * size finishes over enough runs, each within the 1,000-operation limit. Returns the prefixes
 * still to do.
 */
export async function sweep(kv: KVNamespace, repair: RepairThread, queue: string[], now: number, report: SweepReport, { wholeRun = true } = {}): Promise<string[]> {
  const remaining = [...queue];
  for (let first = true; remaining.length > 0; first = false) {
    const prefix = remaining[0]!;
    try {
      await sweepPrefix(kv, repair, prefix, now, report);
      remaining.shift();
    } catch (error) {
      if (!(error instanceof OutOfBudget)) throw error;
      // Earlier work used part of this run's budget: the next run gives this prefix all of it.
      if (!first || !wholeRun) return remaining;
      if (prefix.length >= MAX_PREFIX) {
        report.skipped.push(prefix);
        remaining.shift();
        continue;
      }
      remaining.splice(0, 1, ...[...ID_ALPHABET].map((char) => prefix + char));
      report.split += 1;
      return remaining;
    }
  }
  return remaining;
}
