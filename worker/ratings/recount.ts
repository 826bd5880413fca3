import { eachLimited, listAll } from "../lib/kv";
import { emptyHistogram, isHistogram, type Histogram } from "./model";
import { ratingKeys, type AggregateMetadata, type StoredAggregate, type VoteMetadata } from "./keys";

/** How far back a touched aggregate is recounted: KV settles within ~60 s, the cron runs every 5 min. */
export const RECENT_WINDOW_MS = 15 * 60 * 1000;
/** Articles recounted at once; Workers allow 6 simultaneous connections and KV calls use them. */
export const PARALLEL_ARTICLES = 4;

interface Candidate {
  a: string;
  /** Known from a stale marker; otherwise read from the aggregate itself. */
  article?: string;
}

export interface RecountReport {
  checked: number;
  corrected: number;
}

/** The exact histogram, from the vote keys' metadata: one list call per 1000 votes, no gets. */
export async function countVotes(kv: KVNamespace, a: string): Promise<Histogram> {
  const histogram = emptyHistogram();
  for await (const key of listAll<VoteMetadata>(kv, ratingKeys.votePrefix(a))) {
    const rating = key.metadata?.r;
    if (rating !== undefined && Number.isInteger(rating) && rating >= 1 && rating <= 5) histogram[rating - 1]! += 1;
  }
  return histogram;
}

const sameHistogram = (x: Histogram, y: Histogram) => x.every((n, i) => n === y[i]);

async function recountArticle(kv: KVNamespace, candidate: Candidate, now: number): Promise<boolean> {
  const key = ratingKeys.aggregate(candidate.a);
  const [stored, exact] = await Promise.all([kv.get<StoredAggregate>(key, "json"), countVotes(kv, candidate.a)]);
  const article = candidate.article ?? stored?.article;
  if (article === undefined) return false;
  if (stored && isHistogram(stored.histogram) && sameHistogram(stored.histogram, exact)) return false;
  // Writing marks the article as touched again, so the next run re-checks it: a vote that landed
  // while this recount was listing is caught then, instead of being overwritten for good.
  const value: StoredAggregate = { article, histogram: exact, updatedAt: now };
  const metadata: AggregateMetadata = { t: now };
  await kv.put(key, JSON.stringify(value), { metadata });
  return true;
}

async function runAll(kv: KVNamespace, candidates: Map<string, Candidate>, now: number): Promise<RecountReport> {
  const report: RecountReport = { checked: candidates.size, corrected: 0 };
  await eachLimited([...candidates.values()], PARALLEL_ARTICLES, async (candidate) => {
    if (await recountArticle(kv, candidate, now)) report.corrected += 1;
  });
  return report;
}

/**
 * Make aggregates exact again. `since` limits the work to aggregates touched after that time
 * (plus every article with a "recount me" marker); without it every article is recounted.
 */
export async function recountRatings(kv: KVNamespace, now: number, since?: number): Promise<RecountReport> {
  const candidates = new Map<string, Candidate>();
  for await (const key of listAll<AggregateMetadata>(kv, ratingKeys.aggregatePrefix)) {
    if (since === undefined || (key.metadata?.t ?? 0) >= since) {
      const a = key.name.slice(ratingKeys.aggregatePrefix.length);
      candidates.set(a, { a });
    }
  }
  for await (const key of listAll<{ article?: string }>(kv, ratingKeys.stalePrefix)) {
    const a = key.name.slice(ratingKeys.stalePrefix.length);
    candidates.set(a, { a, article: key.metadata?.article });
  }
  return runAll(kv, candidates, now);
}
