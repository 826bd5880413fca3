import { SETTLE_MS } from "../lib/consistency";
import { listPages } from "../lib/kv";
import { readResetTime } from "./reset";
import { earlierFields, earlierKeys, ratingKeys, type AggregateMetadata, type EarlierMetadata, type EarlierVotes, type StoredAggregate, type VoteMetadata } from "./keys";
import { readAggregate } from "./aggregate";
import { addVote, emptyTally, sameHistogram, trimRecent, type Tally } from "./tally";


/** The exact tally of an article from its vote keys' metadata: one list call per 1000 votes, no gets. */
export async function countVotes(kv: KVNamespace, a: string, now: number, resetAt = 0): Promise<Tally> {
  const tally = emptyTally();
  for await (const keys of listPages<VoteMetadata>(kv, ratingKeys.votePrefix(a))) {
    for (const { metadata } of keys) if ((metadata?.t ?? 0) > resetAt) addVote(tally, metadata ?? undefined, now);
  }
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

/** Write an aggregate the recount computed, with the article's earlier votes (kept by every recount). */
export async function writeAggregate(kv: KVNamespace, a: string, article: string, tally: Tally, now: number, earlier: EarlierVotes | null = null): Promise<void> {
  const value: StoredAggregate = { article, histogram: tally.histogram, updatedAt: now, recent: tally.recent, ...earlierFields(earlier).value };
  const metadata: AggregateMetadata = { t: now, h: tally.histogram, ...earlierFields(earlier).metadata };
  await kv.put(ratingKeys.aggregate(a), JSON.stringify(value), { metadata });
}

export interface RecountOutcome {
  corrected: boolean;
  /** A vote wrote the aggregate moments ago and list() may not show that vote yet: try later. */
  deferred?: boolean;
  /** When the aggregate was last written, after this recount. */
  writtenAt: number;
}

/** Recount one article now and write its aggregate if it differs: 3 reads, 1 list per 1000 votes, ≤ 1 write. */
export async function recountArticle(kv: KVNamespace, a: string, knownArticle: string | undefined, now: number): Promise<RecountOutcome> {
  const [read, resetAt, imported] = await Promise.all([readAggregate(kv, a), readResetTime(kv, a), readEarlier(kv, a)]);
  const earlier = countedEarlier(imported, resetAt);
  const tally = await countVotes(kv, a, now, resetAt);
  // A vote wrote the aggregate moments ago and its key is not listed yet: recounting now would
  // take that vote back out, so wait for list() to catch up.
  const unlisted = read.stored?.by !== undefined && read.metadata !== null && now - read.metadata.t < SETTLE_MS && tally.latest < read.metadata.t;
  if (unlisted) return { corrected: false, deferred: true, writtenAt: read.metadata!.t };
  if (read.stored && sameHistogram(read.histogram, tally.histogram) && sameEarlier(read.earlier, earlier)) return { corrected: false, writtenAt: read.metadata?.t ?? 0 };
  await writeAggregate(kv, a, knownArticle || read.stored?.article || "", tally, now, earlier);
  return { corrected: true, writtenAt: now };
}
