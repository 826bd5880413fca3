import { commentKeys } from "../comments/keys";
import { ApiError } from "../http/errors";
import { parseArticleId } from "../lib/article";
import { publicId } from "../lib/hash";
import { emptyHistogram, isHistogram, summarize } from "../ratings/model";
import { ratingKeys, type StoredAggregate } from "../ratings/keys";
import type { ArticleCount } from "./model";

/** One KV bulk get takes at most 100 keys: a batch is one bulk get of aggregates and one of thread heads. */
export const MAX_BATCH_IDS = 100;

/** The only part of a thread head this reads: its metadata's published-comment count. */
interface HeadCount {
  n?: number;
}

/** Validate the `ids` query values: 1–100 distinct article ids, each as the page-view route checks it. */
export function parseBatchIds(raw: string[] | undefined): string[] {
  if (!raw?.length) throw new ApiError(400, "invalid_ids", "Give 1 to 100 article ids, each as its own `ids` parameter: `?ids=a&ids=b`.", { field: "ids" });
  if (raw.length > MAX_BATCH_IDS) throw new ApiError(400, "too_many_ids", `At most ${MAX_BATCH_IDS} article ids per request; this one has ${raw.length}.`, { field: "ids" });
  const seen = new Set<string>();
  return raw.map((value, index) => {
    let id: string;
    try {
      id = parseArticleId(value);
    } catch (error) {
      if (error instanceof ApiError) throw new ApiError(400, "invalid_article", `ids[${index}]: ${error.message}`, { field: "ids" });
      throw error;
    }
    // Ids are compared as stored (trimmed, NFC), so " a" and "a" are the same article twice.
    if (seen.has(id)) throw new ApiError(400, "duplicate_ids", `ids[${index}] repeats the article ${JSON.stringify(id)}; ask for each article once.`, { field: "ids" });
    seen.add(id);
    return id;
  });
}

/**
 * Rating and comment count of up to 100 articles in two KV operations (one bulk get each),
 * however many ids: billed as one read per key, but never more than two of the invocation's 1,000.
 * The comment count comes from the thread head's metadata, so no head is parsed.
 */
export async function readCounts(kv: KVNamespace, ids: string[], cacheTtl: number): Promise<ArticleCount[]> {
  const hashed = await Promise.all(ids.map(publicId));
  const [aggregates, heads] = await Promise.all([
    kv.get<StoredAggregate>(hashed.map(ratingKeys.aggregate), { type: "json", cacheTtl }),
    kv.getWithMetadata<HeadCount>(hashed.map(commentKeys.head), { type: "text", cacheTtl }),
  ]);
  return hashed.map((a) => {
    const stored = aggregates.get(ratingKeys.aggregate(a));
    const histogram = stored?.histogram;
    const { count, average, best } = summarize(isHistogram(histogram) ? histogram : emptyHistogram(), stored?.earlier);
    const n = heads.get(commentKeys.head(a))?.metadata?.n;
    return { rating: { count, average, best }, comments: { count: Number.isInteger(n) ? n! : 0 } };
  });
}
