import { waitForTurn } from "../coordination/turns";
import { StorageUnavailable } from "../http/errors";
import { adoptReset } from "./running";
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
  const histogram = emptyHistogram();
  const value: StoredAggregate = { article, histogram, updatedAt: now, recent: [] };
  const metadata: AggregateMetadata = { t: now, h: histogram };
  // A vote a moment before wrote the aggregate this second: wait for its turn rather than be
  // refused. The article's running tally starts again from the empty count.
  const keys = [resetKeys.reset(a), ratingKeys.aggregate(a)];
  const adopted = await adoptReset(kv, a, value, keys);
  if (adopted === false) throw new StorageUnavailable(new Error(`Too many changes to ${keys.join(", ")} at once.`));
  if (adopted === null) await waitForTurn(kv, a, keys);
  await kv.put(resetKeys.reset(a), "", { metadata: { t: now } });
  await kv.put(ratingKeys.aggregate(a), JSON.stringify(value), { metadata });
}
