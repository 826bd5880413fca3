/**
 * KV key layout for ratings. `{a}` is publicId(article id), `{voter}` and `{ip}` are HMACs.
 *
 *   vote:{a}:{voter}     ""   metadata {r, t}   one per voter and article: the source of truth
 *   rating:{a}           JSON {article, histogram, updatedAt}   metadata {t}: materialised aggregate
 *   ipvoters:{a}:{ip}    JSON [voter prefix, ...]   distinct voters seen from one IP (the soft cap)
 *   stale:rating:{a}     ""   metadata {article}, expires: "recount me" when the aggregate write failed
 */
export const ratingKeys = {
  vote: (a: string, voter: string) => `vote:${a}:${voter}`,
  votePrefix: (a: string) => `vote:${a}:`,
  aggregate: (a: string) => `rating:${a}`,
  aggregatePrefix: "rating:",
  ipVoters: (a: string, ip: string) => `ipvoters:${a}:${ip}`,
  ipVotersPrefix: (a: string) => `ipvoters:${a}:`,
  stale: (a: string) => `stale:rating:${a}`,
  stalePrefix: "stale:rating:",
} as const;

/** Metadata on each vote key, so a recount needs one `list()` page per 1000 votes and no `get`s. */
export interface VoteMetadata {
  /** The rating, 1–5. */
  r: number;
  /** When the vote was cast or last changed, epoch ms. */
  t: number;
}

/** Metadata on the aggregate key: when a write last touched it, so the cron knows what to recount. */
export interface AggregateMetadata {
  t: number;
}

export interface StoredAggregate {
  article: string;
  histogram: import("./model").Histogram;
  updatedAt: number;
}
