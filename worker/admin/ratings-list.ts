import { getMany } from "../lib/kv";
import { ratingKeys, type AggregateMetadata, type StoredAggregate } from "../ratings/keys";
import { isHistogram, summarize } from "../ratings/model";
import type { ListedRating, RatingsPage, RatingsSort } from "./ratings-page";

/**
 * Aggregates scanned per request: 5 list() calls. With one bulk get for the page, a request stays
 * far inside the 1,000 KV operations a Worker invocation may make, however many articles exist.
 */
export const RATINGS_SCAN_LIMIT = 5000;
const LIST_PAGE = 1000;

const earlierOf = ({ e }: AggregateMetadata) => (e ? { count: e[0], sum: e[1] } : null);

/**
 * Articles with a rating, most votes or most recently voted first, from one list() of the
 * aggregates (their metadata carries the histogram and time) and one bulk get for the names.
 * The cursor is an offset into that order.
 */
export async function listRatings(kv: KVNamespace, sort: RatingsSort, offset: number, limit: number): Promise<RatingsPage> {
  const scanned: { name: string; t: number; count: number; metadata: AggregateMetadata }[] = [];
  let cursor: string | undefined;
  let complete = false;
  while (scanned.length < RATINGS_SCAN_LIMIT) {
    const page: KVNamespaceListResult<AggregateMetadata, string> = await kv.list<AggregateMetadata>({ prefix: ratingKeys.aggregatePrefix, cursor, limit: Math.min(LIST_PAGE, RATINGS_SCAN_LIMIT - scanned.length) });
    for (const { name, metadata } of page.keys) {
      if (metadata && isHistogram(metadata.h)) scanned.push({ name, t: metadata.t, count: summarize(metadata.h, earlierOf(metadata)).count, metadata });
    }
    if (page.list_complete) {
      complete = true;
      break;
    }
    cursor = page.cursor;
  }
  scanned.sort(sort === "votes" ? (x, y) => y.count - x.count || y.t - x.t : (x, y) => y.t - x.t);
  const slice = scanned.slice(offset, offset + limit);
  const values = await getMany<StoredAggregate>(kv, slice.map(({ name }) => name));
  const ratings: ListedRating[] = slice.flatMap(({ name, metadata }) => {
    const value = values.get(name);
    return value ? [{ article: value.article, rating: summarize(metadata.h, earlierOf(metadata)), updatedAt: new Date(metadata.t).toISOString() }] : [];
  });
  return {
    ratings,
    cursor: offset + limit < scanned.length ? String(offset + limit) : null,
    // Said in the response, so a caller knows the order covers only the first aggregates in key order.
    scan: { aggregates: scanned.length, limit: RATINGS_SCAN_LIMIT, complete },
  };
}
