import { waitForTurn } from "../coordination/turns";
import { ratingKeys, resetKeys, type AggregateMetadata, type StoredAggregate } from "./keys";
import { emptyHistogram } from "./model";

export async function readResetTime(kv: KVNamespace, a: string): Promise<number> {
  const { metadata } = await kv.getWithMetadata<{ t: number }>(resetKeys.reset(a));
  return metadata?.t ?? 0;
}

/**
 * Reset an article's rating (admin): O(1) whatever its size. Votes cast before the reset stay
 * in KV but no longer count anywhere, and a reader who votes again simply overwrites theirs.
 */
export async function resetVotes(kv: KVNamespace, a: string, article: string, now: number): Promise<void> {
  // A vote a moment before wrote the aggregate this second: wait for its turn rather than be refused.
  await waitForTurn(kv, a, [resetKeys.reset(a), ratingKeys.aggregate(a)]);
  await kv.put(resetKeys.reset(a), "", { metadata: { t: now } });
  const histogram = emptyHistogram();
  const value: StoredAggregate = { article, histogram, updatedAt: now, recent: [] };
  const metadata: AggregateMetadata = { t: now, h: histogram };
  await kv.put(ratingKeys.aggregate(a), JSON.stringify(value), { metadata });
}
