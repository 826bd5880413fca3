import type { Status } from "./model";

/**
 * KV key layout for comments. `{a}` is publicId(article id).
 *
 *   comment:{a}:{id}                 JSON StoredComment   metadata {s, t, p, h}: the source of truth
 *   thread:{a}                       JSON ThreadHead      metadata {t, n}: count, page count and page 0, read by page views
 *   thread-page:{a}:{k}              JSON PublicComment[]  page k ≥ 1 of the public thread, in publication order
 *   queue:{status}:{newest-first}:{a}:{id}   ""         moderation index across articles, newest first
 *   dup:{a}:{body hash}              comment id           the comment that last posted this text, for the duplicate check
 */
export const commentKeys = {
  comment: (a: string, id: string) => `comment:${a}:${id}`,
  commentPrefix: (a: string) => `comment:${a}:`,
  allCommentsPrefix: "comment:",
  head: (a: string) => `thread:${a}`,
  headPrefix: "thread:",
  page: (a: string, page: number) => `thread-page:${a}:${page}`,
  /** The whole thread in one value, as written before pages: deleted by the next rebuild. */
  legacyAll: (a: string) => `thread-all:${a}`,
  duplicate: (a: string, bodyHash: string) => `dup:${a}:${bodyHash}`,
  queue: (status: Status, createdAt: number, a: string, id: string) => `queue:${status}:${newestFirst(createdAt)}:${a}:${id}`,
  queuePrefix: (status: Status) => `queue:${status}:`,
} as const;

/** Lexicographic order of KV lists is ascending: invert the time so the newest lists first. */
function newestFirst(createdAt: number): string {
  return String(9_999_999_999_999 - createdAt).padStart(13, "0");
}

/** Split a queue key back into the comment it points at. */
export function parseQueueKey(name: string): { a: string; id: string } | null {
  const parts = name.split(":");
  return parts.length === 5 ? { a: parts[3]!, id: parts[4]! } : null;
}
