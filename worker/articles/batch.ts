import { commentKeys } from "../comments/keys";
import { ApiError } from "../http/errors";
import { parseArticleId } from "../lib/article";
import { publicId } from "../lib/hash";
import { emptyHistogram, isHistogram, summarize } from "../ratings/model";
import { ratingKeys, type StoredAggregate } from "../ratings/keys";
import type { ArticleCount, BatchEntry } from "./model";

/** One KV bulk get takes at most 100 keys: a batch is one bulk get of aggregates and one of thread heads. */
export const MAX_BATCH_IDS = 100;

/** The only part of a thread head this reads: its metadata's published-comment count. */
interface HeadCount {
  n?: number;
}

/** An id of the batch: the article it names, or why it names none. */
export type BatchId = { article: string } | { error: { code: string; message: string } };

/**
 * Validate the `ids` query values: 1–100 of them, each checked as the page-view route checks it,
 * and answered on its own: a bad id gets an error entry, never a 400 for the whole batch. Ids that
 * normalise alike ("/café/" typed two ways) are the same article, answered twice and read once.
 */
export function parseBatchIds(raw: string[] | undefined): BatchId[] {
  if (!raw?.length) throw new ApiError(400, "invalid_ids", "Give 1 to 100 article ids, each as its own `ids` parameter: `?ids=a&ids=b`.", { field: "ids" });
  if (raw.length > MAX_BATCH_IDS) throw new ApiError(400, "too_many_ids", `At most ${MAX_BATCH_IDS} article ids per request; this one has ${raw.length}.`, { field: "ids" });
  return raw.map((value) => {
    try {
      return { article: parseArticleId(value) };
    } catch (error) {
      if (error instanceof ApiError) return { error: { code: error.code, message: error.message } };
      throw error;
    }
  });
}

/** The distinct articles a batch names: what it reads, and what its read allowance is charged for. */
export const batchArticles = (ids: BatchId[]) => [...new Set(ids.flatMap((id) => ("article" in id ? [id.article] : [])))];

const ZERO: ArticleCount = { rating: { count: 0, average: 0, best: 5 }, comments: { count: 0 } };

/** Each id's entry, in request order, from the counts of the distinct articles. */
export function batchEntries(ids: BatchId[], articles: string[], counts: ArticleCount[]): BatchEntry[] {
  const byArticle = new Map(articles.map((article, i) => [article, counts[i]!]));
  return ids.map((id) => ("article" in id ? byArticle.get(id.article)! : { ...ZERO, error: id.error }));
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
