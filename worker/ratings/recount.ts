import { SETTLE_MS } from "../lib/consistency";
import { listPages } from "../lib/kv";
import { readResetTime } from "./reset";
import { earlierFields, earlierKeys, ratingKeys, type AggregateMetadata, type EarlierMetadata, type EarlierVotes, type StoredAggregate, type VoteMetadata } from "./keys";
import { readAggregate } from "./aggregate";
import { addVote, emptyTally, sameHistogram, trimRecent, type Tally } from "./tally";
import { agreeCorrection, snapshotTally } from "./running";
import type { TallySnapshot } from "../coordination/running-tallies";

/**
 * The exact tally of an article from its vote keys' metadata: one list call per 1000 votes, no
 * gets. `latest` holds the newest rating of voters whose changes list() may not show yet (from the
 * coordinator's log): they replace what is listed for those voters.
 */
export async function countVotes(kv: KVNamespace, a: string, now: number, resetAt = 0, latest: [voter: string, to: number | null][] = []): Promise<Tally> {
  const tally = emptyTally();
  const prefix = ratingKeys.votePrefix(a);
  const replaced = new Map(latest);
  for await (const keys of listPages<VoteMetadata>(kv, prefix)) {
    for (const { name, metadata } of keys) {
      if ((metadata?.t ?? 0) > resetAt && !replaced.has(name.slice(prefix.length))) addVote(tally, metadata ?? undefined, now);
    }
  }
  for (const to of replaced.values()) if (to !== null) tally.histogram[to - 1]! += 1;
  tally.recent = trimRecent(tally.recent, now);
  return tally;
}

/** Earlier votes as they count now: none if an admin reset came after their import. */
export function countedEarlier(metadata: EarlierMetadata | null | undefined, resetAt: number): EarlierVotes | null {
  return metadata && metadata.t > resetAt && metadata.n > 0 ? { count: metadata.n, sum: metadata.s } : null;
}

export async function readEarlier(kv: KVNamespace, a: string): Promise<EarlierMetadata | null> {
  return (await kv.getWithMetadata<EarlierMetadata>(earlierKeys.earlier(a))).metadata;
}

export const sameEarlier = (x: EarlierVotes | null | undefined, y: EarlierVotes | null | undefined) => (x?.count ?? 0) === (y?.count ?? 0) && (x?.sum ?? 0) === (y?.sum ?? 0);

export function aggregateValue(article: string, tally: Tally, now: number, earlier: EarlierVotes | null = null): StoredAggregate {
  return { article, histogram: tally.histogram, updatedAt: now, recent: tally.recent, ...earlierFields(earlier).value };
}

/** Write an aggregate the recount computed, with the article's earlier votes (kept by every recount). */
export async function writeAggregate(kv: KVNamespace, a: string, article: string, tally: Tally, now: number, earlier: EarlierVotes | null = null): Promise<void> {
  await putAggregate(kv, a, aggregateValue(article, tally, now, earlier));
}

async function putAggregate(kv: KVNamespace, a: string, value: StoredAggregate): Promise<void> {
  const metadata: AggregateMetadata = { t: value.updatedAt, h: value.histogram, ...earlierFields(value.earlier).metadata };
  await kv.put(ratingKeys.aggregate(a), JSON.stringify(value), { metadata });
}

/**
 * A verified running tally is the count: no listing needed. KV is only behind it when a write of
 * it failed, or the value was changed behind its back; then the tally is written again.
 */
async function publishTally(kv: KVNamespace, a: string, running: TallySnapshot, now: number): Promise<RecountOutcome> {
  const read = await readAggregate(kv, a);
  if (read.stored && sameHistogram(read.histogram, running.value.histogram) && sameEarlier(read.earlier, running.value.earlier)) return { corrected: false, settled: true, writtenAt: now };
  const value = { ...running.value, updatedAt: now };
  if (!(await agreeCorrection(kv, a, value, running.asOf, true))) return { corrected: false, deferred: true, writtenAt: now };
  await putAggregate(kv, a, value);
  return { corrected: true, settled: true, writtenAt: now };
}

export interface RecountOutcome {
  corrected: boolean;
  /** The coordinator's running tally is verified: nothing left to check until it loses it. */
  settled?: boolean;
  /** A vote wrote the aggregate moments ago and list() may not show that vote yet: try later. */
  deferred?: boolean;
  /**
   * When the aggregate was last written, after this recount: the cron stops watching an article
   * whose aggregate stayed unwritten for a while. Only read for an outcome neither corrected,
   * settled nor deferred; the others may say `now` or the last write.
   */
  writtenAt: number;
}

/**
 * Recount one article now and write its aggregate if it differs: 3 reads, 1 list per 1000 votes,
 * ≤ 1 write. With a coordinator that keeps the article's running tally, a verified tally needs no
 * recount, and an unverified one is checked against the listing merged with the tally's recent
 * changes (which list() may not show yet).
 */
export async function recountArticle(kv: KVNamespace, a: string, knownArticle: string | undefined, now: number, { full = false } = {}): Promise<RecountOutcome> {
  const running = await snapshotTally(kv, a);
  if (running?.sure && !full) return publishTally(kv, a, running, now);
  // The tally's log does not reach back over list()'s blind spot yet.
  if (running && now - running.since < SETTLE_MS) return { corrected: false, deferred: true, writtenAt: now };
  const [read, resetAt, imported] = await Promise.all([readAggregate(kv, a), readResetTime(kv, a), readEarlier(kv, a)]);
  const earlier = countedEarlier(imported, resetAt);
  const tally = await countVotes(kv, a, now, resetAt, running?.changes);
  // A vote wrote the aggregate moments ago and its key is not listed yet: recounting now would
  // take that vote back out, so wait for list() to catch up.
  const unlisted = !running && read.stored?.by !== undefined && read.metadata !== null && now - read.metadata.t < SETTLE_MS && tally.latest < read.metadata.t;
  if (unlisted) return { corrected: false, deferred: true, writtenAt: read.metadata!.t };
  const article = knownArticle || read.stored?.article || "";
  const same = read.stored !== null && sameHistogram(read.histogram, tally.histogram) && sameEarlier(read.earlier, earlier);
  const value = aggregateValue(article, tally, now, earlier);
  const basis = running?.asOf ?? Date.now();
  if (same && !running) return { corrected: false, writtenAt: read.metadata?.t ?? 0 };
  if (!(await agreeCorrection(kv, a, same ? { ...read.stored!, histogram: read.histogram } : value, basis, !same))) return { corrected: false, deferred: true, writtenAt: now };
  if (same) return { corrected: false, settled: true, writtenAt: read.metadata?.t ?? 0 };
  await writeAggregate(kv, a, article, tally, now, earlier);
  return { corrected: true, settled: running !== null, writtenAt: now };
}
