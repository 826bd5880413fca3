import { ApiError } from "../http/errors";
import { eachLimited, listAll } from "../lib/kv";
import { applyVote, emptyHistogram, isHistogram, summarize, type Histogram, type RatingSummary } from "./model";
import { ratingKeys, type AggregateMetadata, type StoredAggregate, type VoteMetadata } from "./keys";

/** How long a "recount me" marker lives: long enough for several cron runs after KV settles. */
export const STALE_MARKER_TTL_SECONDS = 30 * 60;

export interface VoteRequest {
  /** publicId of the article. */
  a: string;
  article: string;
  /** privateId of the voter token. */
  voter: string;
  /** privateId of the client IP. */
  ip: string;
  votersPerIp: number;
  now: number;
}

export interface VoteResult {
  rating: RatingSummary;
  yours: number | null;
}

export async function readAggregate(kv: KVNamespace, a: string): Promise<Histogram> {
  const stored = await kv.get<StoredAggregate>(ratingKeys.aggregate(a), "json");
  return stored && isHistogram(stored.histogram) ? stored.histogram : emptyHistogram();
}

async function readVote(kv: KVNamespace, a: string, voter: string): Promise<number | undefined> {
  const { metadata } = await kv.getWithMetadata<VoteMetadata>(ratingKeys.vote(a, voter));
  return metadata?.r;
}

/** Enforce the soft cap of distinct voters per client IP and article; records a new voter. */
async function admitVoter(kv: KVNamespace, request: VoteRequest): Promise<void> {
  const key = ratingKeys.ipVoters(request.a, request.ip);
  const seen = (await kv.get<string[]>(key, "json")) ?? [];
  // A prefix is enough to tell a handful of voters apart and keeps the value tiny.
  const voterTag = request.voter.slice(0, 12);
  if (seen.includes(voterTag)) return;
  if (seen.length >= request.votersPerIp) {
    throw new ApiError(429, "vote_limit", "Too many different readers have voted on this article from your network.");
  }
  await kv.put(key, JSON.stringify([...seen, voterTag]));
}

/**
 * Write the aggregate best-effort. It is written *before* the vote key changes, and a failure
 * falls back to a "recount me" marker, so every vote key that exists has a mark the cron will see.
 * Only when both writes fail does the request fail, before the vote itself is touched.
 */
async function writeAggregate(kv: KVNamespace, request: VoteRequest, histogram: Histogram): Promise<void> {
  const value: StoredAggregate = { article: request.article, histogram, updatedAt: request.now };
  const metadata: AggregateMetadata = { t: request.now };
  try {
    await kv.put(ratingKeys.aggregate(request.a), JSON.stringify(value), { metadata });
  } catch {
    await kv.put(ratingKeys.stale(request.a), "", { expirationTtl: STALE_MARKER_TTL_SECONDS, metadata: { article: request.article } });
  }
}

/** Cast or change a vote. At most 3 KV writes: IP voter list (new voters only), aggregate, vote. */
export async function castVote(kv: KVNamespace, request: VoteRequest, rating: number): Promise<VoteResult> {
  const [previous, histogram] = await Promise.all([readVote(kv, request.a, request.voter), readAggregate(kv, request.a)]);
  if (previous === undefined) await admitVoter(kv, request);
  const next = applyVote(histogram, previous, rating);
  if (previous !== rating) {
    await writeAggregate(kv, request, next);
    const metadata: VoteMetadata = { r: rating, t: request.now };
    await kv.put(ratingKeys.vote(request.a, request.voter), "", { metadata });
  }
  return { rating: summarize(next), yours: rating };
}

/** Retract a vote: 404 when this voter has none on this article. */
export async function retractVote(kv: KVNamespace, request: VoteRequest): Promise<VoteResult> {
  const [previous, histogram] = await Promise.all([readVote(kv, request.a, request.voter), readAggregate(kv, request.a)]);
  if (previous === undefined) {
    throw new ApiError(404, "vote_not_found", "You have not rated this article.");
  }
  const next = applyVote(histogram, previous, undefined);
  await writeAggregate(kv, request, next);
  await kv.delete(ratingKeys.vote(request.a, request.voter));
  return { rating: summarize(next), yours: null };
}

/** Delete every vote of an article and its aggregate (an admin reset). */
export async function resetVotes(kv: KVNamespace, a: string): Promise<number> {
  const keys: string[] = [];
  for (const prefix of [ratingKeys.votePrefix(a), ratingKeys.ipVotersPrefix(a)]) {
    for await (const key of listAll(kv, prefix)) keys.push(key.name);
  }
  // The aggregate goes last: until then a recount would still see and restore the votes.
  await eachLimited(keys, 4, (key) => kv.delete(key));
  await Promise.all([kv.delete(ratingKeys.aggregate(a)), kv.delete(ratingKeys.stale(a))]);
  return keys.length;
}
