import type { Histogram } from "./model";

/**
 * KV key layout for ratings. `{a}` is publicId(article id), `{voter}` an HMAC of the voter token.
 *
 *   vote:{a}:{voter}   ""   metadata {r, t, c}   one per voter and article: the source of truth
 *   rating:{a}         JSON StoredAggregate   metadata {t, h}   materialised aggregate, read by page views
 */
export const ratingKeys = {
  vote: (a: string, voter: string) => `vote:${a}:${voter}`,
  votePrefix: (a: string) => `vote:${a}:`,
  allVotesPrefix: "vote:",
  aggregate: (a: string) => `rating:${a}`,
  aggregatePrefix: "rating:",
} as const;

/** Metadata on each vote key, so a recount needs one `list()` page per 1000 votes and no `get`s. */
export interface VoteMetadata {
  /** The rating, 1–5. */
  r: number;
  /** When the vote was cast or last changed, epoch ms. */
  t: number;
  /** A short tag of the voter's client network (an HMAC prefix), for the per-network voter cap. */
  c?: string;
  /** The article id, on imported votes: an export names their article before any aggregate exists. */
  article?: string;
}

/** Metadata on the aggregate key: listing aggregates tells the cron what changed and their counts. */
export interface AggregateMetadata {
  /** When the aggregate was last written, epoch ms. */
  t: number;
  h: Histogram;
  /** Earlier votes it includes, [count, sum] (absent when there are none). */
  e?: [number, number];
}

/** A recent first vote: [client tag, epoch ms]. The cap counts these per client network. */
export type RecentVoter = [client: string, at: number];

export interface StoredAggregate {
  article: string;
  histogram: Histogram;
  updatedAt: number;
  /** First votes of the last VOTER_CAP_WINDOW_MS, newest last (never public). */
  recent?: RecentVoter[];
  /** Tag of the voter whose vote wrote this aggregate (absent when a recount wrote it)... */
  by?: string;
  /** ...and that voter's rating it includes (null after a retraction). */
  byRating?: number | null;
  /** Earlier votes (imported, no per-reader keys) it includes, copied from `earlier:{a}`. */
  earlier?: EarlierVotes;
}

/** `reset:{a}` "" metadata {t}: an admin reset at t; votes cast before it no longer count. */
export const resetKeys = {
  reset: (a: string) => `reset:${a}`,
  prefix: "reset:",
} as const;

/** Votes counted elsewhere before Plaudit (an import): how many and their sum, no breakdown. */
export interface EarlierVotes {
  count: number;
  sum: number;
}

/**
 * `earlier:{a}` JSON {article} metadata {n, s, t}: an article's earlier votes, the source of
 * truth for them as vote keys are for votes. A reset after `t` stops them counting, like votes.
 */
export const earlierKeys = {
  earlier: (a: string) => `earlier:${a}`,
  prefix: "earlier:",
} as const;

export interface EarlierMetadata {
  n: number;
  s: number;
  t: number;
}

export interface StoredEarlier {
  article: string;
}

/** The fields of an aggregate's value and metadata that carry its earlier votes (none when absent). */
export function earlierFields(earlier: EarlierVotes | null | undefined): { value: { earlier?: EarlierVotes }; metadata: { e?: [number, number] } } {
  if (!earlier || earlier.count <= 0) return { value: {}, metadata: {} };
  return { value: { earlier: { count: earlier.count, sum: earlier.sum } }, metadata: { e: [earlier.count, earlier.sum] } };
}
