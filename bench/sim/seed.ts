/**
 * History written straight into the simulator's in-memory KV, in the Worker's CURRENT key layout
 * (worker/ratings/keys.ts, worker/comments/keys.ts): writing millions of votes through fetch()
 * would take hours. This is the one file to change when the layout changes.
 */
import { commentKeys } from "../../worker/comments/keys";
import { type CommentMetadata, type Status, type StoredComment } from "../../worker/comments/model";
import { THREAD_LAYOUT } from "../../worker/comments/thread";
import { headOf, layoutThread } from "../../worker/comments/thread-writer";
import { publicId } from "../../worker/lib/hash";
import { ratingKeys, type StoredAggregate, type VoteMetadata } from "../../worker/ratings/keys";
import type { Histogram } from "../../worker/ratings/model";
import type { ProductionKv } from "../../tests/support/production-kv";

export interface SeedVote {
  /** The stored (hashed) voter id: seeding skips the HMAC, which would dominate at millions of votes. */
  voterId: string;
  /** The stored (hashed) client IP id. */
  ipId: string;
  rating: number;
  at: number;
}

export interface SeedComment {
  /** 19 characters of [0-9a-z], sortable by time (see newCommentId); made up when absent. */
  id: string;
  author: string;
  body: string;
  at: number;
  status: Status;
  parentId?: string | null;
  ipId: string;
}

export interface SeedArticle {
  article: string;
  votes: SeedVote[];
  comments: SeedComment[];
  /** When the aggregate and thread were last materialised (defaults to the newest vote/comment). */
  settledAt?: number;
}

/** Write one article's votes, comments and materialised views, as the Worker would have left them. */
export async function seedArticle(kv: ProductionKv, seed: SeedArticle): Promise<{ a: string }> {
  const a = await publicId(seed.article);
  const settledAt = seed.settledAt ?? Math.max(0, ...seed.votes.map((v) => v.at), ...seed.comments.map((c) => c.at));

  const histogram: Histogram = [0, 0, 0, 0, 0];
  for (const vote of seed.votes) {
    const metadata: VoteMetadata = { r: vote.rating, t: vote.at, c: vote.ipId.slice(0, 8) };
    kv.seed(ratingKeys.vote(a, vote.voterId), "", { metadata });
    histogram[vote.rating - 1]! += 1;
  }
  if (seed.votes.length > 0) {
    // History is older than the cap's window, so no recent voters are carried.
    const aggregate: StoredAggregate = { article: seed.article, histogram, updatedAt: settledAt, recent: [] };
    kv.seed(ratingKeys.aggregate(a), JSON.stringify(aggregate), { metadata: { t: settledAt, h: histogram } });
  }

  const stored = new Map<string, StoredComment>();
  for (const comment of seed.comments) {
    const full: StoredComment = {
      id: comment.id,
      article: seed.article,
      parentId: comment.parentId ?? null,
      author: comment.author,
      email: null,
      website: null,
      body: comment.body,
      createdAt: comment.at,
      editedAt: null,
      status: comment.status,
      editTokenHash: "seeded",
      ipHash: comment.ipId,
    };
    stored.set(comment.id, full);
  }
  // Laid out as publishing them one by one would have, each comment knowing its page.
  const pages = layoutThread([...stored.values()].filter((comment) => comment.status === "approved"));
  pages.forEach((items, page) => items.forEach(({ id }) => Object.assign(stored.get(id)!, { page, publishedAt: stored.get(id)!.createdAt })));
  for (const full of stored.values()) {
    // The body hash only feeds the duplicate check; seeded bodies are unique, so any unique tag does.
    const metadata: CommentMetadata = { s: full.status, t: full.createdAt, p: full.parentId, h: `seed${full.id.slice(-12)}` };
    kv.seed(commentKeys.comment(a, full.id), JSON.stringify(full), { metadata });
    kv.seed(commentKeys.queue(full.status, full.createdAt, a, full.id), "");
  }
  if (stored.size > 0) {
    const head = headOf(seed.article, pages);
    kv.seed(commentKeys.head(a), JSON.stringify(head), { metadata: { t: settledAt, n: head.count, v: THREAD_LAYOUT } });
    pages.forEach((items, page) => page > 0 && page < pages.length - 1 && kv.seed(commentKeys.page(a, page), JSON.stringify(items)));
  }
  return { a };
}
