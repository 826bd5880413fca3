import { markForAttention } from "../cron/attention";
import { takeWriteTurn, waitForTurn } from "../coordination/turns";
import { ApiError, StorageUnavailable, VoteLimitReached } from "../http/errors";
import { ACTIVE_WINDOW_MS } from "../lib/consistency";
import { applyVote, summarize, type Histogram, type RatingSummary } from "./model";
import { earlierFields, ratingKeys, type AggregateMetadata, type StoredAggregate, type VoteMetadata } from "./keys";
import { readAggregate, type AggregateRead } from "./aggregate";
import { readResetTime } from "./reset";
import { recentVotersFrom, trimRecent } from "./tally";
import { admitVote, tallyVote, writeTally } from "./running";
import type { TallySeed } from "../coordination/running-tallies";

/**
 * An aggregate written this recently is "hot": another location may have written it since our
 * read, and KV takes one write per second per key. Votes on a hot article leave the aggregate to
 * the cron, which recounts it from the vote keys. Our read may itself be up to 60 s old and the
 * cron rewrites a hot aggregate every 15 s, so the window covers both, with a margin.
 */
export const HOT_WINDOW_MS = 120_000;
/** KV takes one write per second per key; keep a margin for clocks that disagree a little. */
const SAME_KEY_GAP_MS = 1_500;

export interface VoteRequest {
  /** publicId of the article. */
  a: string;
  article: string;
  /** privateId of the voter token. */
  voter: string;
  /** A short tag of the client network's privateId, kept on the vote for the per-network cap. */
  client: string;
  votersPerIp: number;
  now: number;
  /** Spend the client's write allowance; throws 429 when it is used up. */
  charge: (writes: number) => Promise<void>;
  /** Run a task after the response is sent (the invocation's waitUntil). */
  later: (task: () => Promise<void>) => void;
}

export interface VoteResult {
  rating: RatingSummary;
  yours: number | null;
}

/** KV writes a vote causes: its key, and the aggregate now or at the cron's recount. */
export const WRITES_PER_VOTE = 2;

/** The voter's current rating, unless it was cast before an admin reset. */
async function readVote(kv: KVNamespace, a: string, voter: string): Promise<number | undefined> {
  const [{ metadata }, resetAt] = await Promise.all([kv.getWithMetadata<VoteMetadata>(ratingKeys.vote(a, voter)), readResetTime(kv, a)]);
  return metadata && metadata.t > resetAt ? metadata.r : undefined;
}

/** A reader changing their mind twice within a second writes their vote key twice: the second waits its turn. */
const voterTurn = (kv: KVNamespace, request: VoteRequest) => waitForTurn(kv, request.a, [ratingKeys.vote(request.a, request.voter)]);

const voterTag = (request: VoteRequest) => request.voter.slice(0, 12);

/**
 * Written by someone else within the hot window. A reader changing their own vote again is not
 * a race: the aggregate they read is the one their last vote wrote.
 */
function isHot(read: AggregateRead, request: VoteRequest): boolean {
  if (!read.metadata) return false;
  const age = request.now - read.metadata.t;
  if (age >= HOT_WINDOW_MS) return false;
  return read.stored?.by !== voterTag(request) || age < SAME_KEY_GAP_MS;
}

/**
 * Bring the aggregate up to date after a vote key changed. Written through when nobody else
 * wrote it lately; otherwise (or if the write fails) the article is handed to the cron. Never
 * fails the vote: the vote key is already stored, and the recounts make the aggregate exact.
 */
async function updateAggregate(kv: KVNamespace, request: VoteRequest, read: AggregateRead, next: Histogram, rating: number | null, newVoter: boolean): Promise<void> {
  // A write-through is best-effort: when another writes this aggregate this second, the cron recounts it.
  let hot = isHot(read, request) || !(await takeWriteTurn(kv, request.a, [ratingKeys.aggregate(request.a)], "now"));
  if (!hot) {
    const recent = trimRecent([...(read.stored?.recent ?? []), ...(newVoter ? [[request.client, request.now] as [string, number]] : [])], request.now);
    const value: StoredAggregate = { article: request.article, histogram: next, updatedAt: request.now, recent, by: voterTag(request), byRating: rating, ...earlierFields(read.earlier).value };
    const metadata: AggregateMetadata = { t: request.now, h: next, ...earlierFields(read.earlier).metadata };
    try {
      await kv.put(ratingKeys.aggregate(request.a), JSON.stringify(value), { metadata });
      const active = read.metadata !== null && request.now - read.metadata.t < ACTIVE_WINDOW_MS && read.stored?.by !== voterTag(request);
      if (!active) return;
    } catch {
      // Refused (another writer in the same second, or the day's quota): the cron recounts it.
      hot = true;
    }
  }
  await markForAttention(kv, { kind: "rating", a: request.a, article: request.article, at: request.now, hot });
}

/** The aggregate as read, for a running tally that starts from it. */
function seedOf(read: AggregateRead, request: VoteRequest): TallySeed {
  const stored = read.stored && { ...read.stored, histogram: read.histogram };
  // Written by someone else lately: another location may have written it since, unseen by our read.
  const unsure = read.metadata !== null && request.now - read.metadata.t < ACTIVE_WINDOW_MS && read.stored?.by !== voterTag(request);
  return { stored, unsure };
}

/**
 * Admit the vote and take the voter key's turn before writing it. With a coordinator, a first vote
 * is checked against the per-network cap there, one at a time, so a parallel burst from one
 * network cannot pass it together. True when the coordinator admitted it.
 */
async function admitVoter(kv: KVNamespace, request: VoteRequest, seed: TallySeed, first: boolean): Promise<boolean> {
  const admission = await admitVote(kv, request.a, ratingKeys.vote(request.a, request.voter), seed, first ? request.client : null, request.votersPerIp);
  if (admission === "limited") throw new VoteLimitReached();
  if (admission === "busy") throw new StorageUnavailable(new Error("Too many changes to this vote at once."));
  if (admission === null) await voterTurn(kv, request);
  return admission === "admitted";
}

/**
 * With a coordinator, the vote joins the article's running tally there, which hands the
 * aggregate's write to one request a turn: no vote is left to a recount however busy the
 * article. Null without one: the caller updates the aggregate itself.
 */
async function countThroughCoordinator(kv: KVNamespace, request: VoteRequest, seed: TallySeed, previous: number | undefined, rating: number | null, admitted: boolean): Promise<RatingSummary | null> {
  // An admitted first vote is among the network's recent voters already.
  const client = previous === undefined && rating !== null && !admitted ? request.client : null;
  const change = { voter: request.voter, tag: voterTag(request), from: previous ?? null, to: rating, client, article: request.article };
  const outcome = await tallyVote(kv, request.a, seed, change);
  if (!outcome) return null;
  const publish = async () => {
    const written = await writeTally(kv, request.a, outcome);
    if (!written || outcome.verify) await markForAttention(kv, { kind: "rating", a: request.a, article: request.article, at: request.now });
  };
  // The duty to write at the next turn (up to 1.5 s away) need not keep the voter waiting.
  if (outcome.flushAt !== undefined) request.later(publish);
  else await publish();
  return summarize(outcome.histogram, outcome.earlier);
}

/**
 * The voter's rating the aggregate already counts. When their own last vote wrote it, that is
 * the rating recorded with it, even if a later change of theirs was left to the cron.
 */
function countedRating(read: AggregateRead, request: VoteRequest, previous: number | undefined): number | undefined {
  return read.stored?.by === voterTag(request) ? (read.stored.byRating ?? undefined) : previous;
}

/**
 * Cast or change a vote: 3 reads, and 2 writes (vote key, aggregate) or 1 on a hot article. The
 * write allowance is charged before anything is read, so a flood is refused without costing reads.
 */
export async function castVote(kv: KVNamespace, request: VoteRequest, rating: number): Promise<VoteResult> {
  await request.charge(WRITES_PER_VOTE);
  const [previous, read] = await Promise.all([readVote(kv, request.a, request.voter), readAggregate(kv, request.a)]);
  if (previous === rating) return { rating: summarize(read.histogram, read.earlier), yours: rating };
  // The coordinator admits first votes under the cap one at a time; a read that already shows the
  // cap reached saves asking it.
  if (previous === undefined && recentVotersFrom(read.stored?.recent, request.client, request.now) >= request.votersPerIp) {
    throw new VoteLimitReached();
  }
  const metadata: VoteMetadata = { r: rating, t: request.now, c: request.client };
  const seed = seedOf(read, request);
  const admitted = await admitVoter(kv, request, seed, previous === undefined);
  await kv.put(ratingKeys.vote(request.a, request.voter), "", { metadata });
  const counted = await countThroughCoordinator(kv, request, seed, previous, rating, admitted);
  if (counted) return { rating: counted, yours: rating };
  const next = applyVote(read.histogram, countedRating(read, request, previous), rating);
  await updateAggregate(kv, request, read, next, rating, previous === undefined);
  return { rating: summarize(next, read.earlier), yours: rating };
}

/** Retract a vote: 404 when this voter has none on this article. */
export async function retractVote(kv: KVNamespace, request: VoteRequest): Promise<VoteResult> {
  await request.charge(WRITES_PER_VOTE);
  const [previous, read] = await Promise.all([readVote(kv, request.a, request.voter), readAggregate(kv, request.a)]);
  if (previous === undefined) {
    throw new ApiError(404, "vote_not_found", "You have not rated this article.");
  }
  await voterTurn(kv, request);
  await kv.delete(ratingKeys.vote(request.a, request.voter));
  const counted = await countThroughCoordinator(kv, request, seedOf(read, request), previous, null, false);
  if (counted) return { rating: counted, yours: null };
  const next = applyVote(read.histogram, countedRating(read, request, previous), undefined);
  await updateAggregate(kv, request, read, next, null, false);
  return { rating: summarize(next, read.earlier), yours: null };
}
