import { SETTLE_MS } from "../lib/consistency";
import { listAll } from "../lib/kv";
import { readResetTime } from "./reset";
import { ratingKeys, type AggregateMetadata, type StoredAggregate, type VoteMetadata } from "./keys";
import { readAggregate } from "./store";
import { addVote, emptyTally, sameHistogram, trimRecent, type Tally } from "./tally";


/** The exact tally of an article from its vote keys' metadata: one list call per 1000 votes, no gets. */
export async function countVotes(kv: KVNamespace, a: string, now: number, resetAt = 0): Promise<Tally> {
  const tally = emptyTally();
  for await (const key of listAll<VoteMetadata>(kv, ratingKeys.votePrefix(a))) {
    if ((key.metadata?.t ?? 0) > resetAt) addVote(tally, key.metadata ?? undefined, now);
  }
  tally.recent = trimRecent(tally.recent, now);
  return tally;
}

/** Write an aggregate the recount computed. */
export async function writeAggregate(kv: KVNamespace, a: string, article: string, tally: Tally, now: number): Promise<void> {
  const value: StoredAggregate = { article, histogram: tally.histogram, updatedAt: now, recent: tally.recent };
  const metadata: AggregateMetadata = { t: now, h: tally.histogram };
  await kv.put(ratingKeys.aggregate(a), JSON.stringify(value), { metadata });
}

export interface RecountOutcome {
  corrected: boolean;
  /** A vote wrote the aggregate moments ago and list() may not show that vote yet: try later. */
  deferred?: boolean;
  /** When the aggregate was last written, after this recount. */
  writtenAt: number;
}

/** Recount one article now and write its aggregate if it differs: 2 reads, 1 list per 1000 votes, ≤ 1 write. */
export async function recountArticle(kv: KVNamespace, a: string, knownArticle: string | undefined, now: number): Promise<RecountOutcome> {
  const [read, resetAt] = await Promise.all([readAggregate(kv, a), readResetTime(kv, a)]);
  const tally = await countVotes(kv, a, now, resetAt);
  // A vote wrote the aggregate moments ago and its key is not listed yet: recounting now would
  // take that vote back out, so wait for list() to catch up.
  const unlisted = read.stored?.by !== undefined && read.metadata !== null && now - read.metadata.t < SETTLE_MS && tally.latest < read.metadata.t;
  if (unlisted) return { corrected: false, deferred: true, writtenAt: read.metadata!.t };
  if (read.stored && sameHistogram(read.histogram, tally.histogram)) return { corrected: false, writtenAt: read.metadata?.t ?? 0 };
  await writeAggregate(kv, a, knownArticle || read.stored?.article || "", tally, now);
  return { corrected: true, writtenAt: now };
}
