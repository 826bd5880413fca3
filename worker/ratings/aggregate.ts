// Reading an article's rating aggregate: what a page view needs of ratings, apart from the vote
// writes in store.ts so that a cold start does not compile those.
import { ratingKeys, type AggregateMetadata, type EarlierVotes, type StoredAggregate } from "./keys";
import { emptyHistogram, isHistogram, type Histogram } from "./model";

export interface AggregateRead {
  stored: StoredAggregate | null;
  metadata: AggregateMetadata | null;
  histogram: Histogram;
  /** Earlier (imported) votes the aggregate includes, carried along by every write of it. */
  earlier?: EarlierVotes;
}

export async function readAggregate(kv: KVNamespace, a: string, options: { cacheTtl?: number } = {}): Promise<AggregateRead> {
  const { value, metadata } = await kv.getWithMetadata<StoredAggregate, AggregateMetadata>(ratingKeys.aggregate(a), { type: "json", ...options });
  return { stored: value, metadata, histogram: value && isHistogram(value.histogram) ? value.histogram : emptyHistogram(), ...(value?.earlier ? { earlier: value.earlier } : {}) };
}
