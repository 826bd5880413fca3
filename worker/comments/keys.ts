import type { Status } from "./model";

/**
 * KV key layout for comments. `{a}` is publicId(article id).
 *
 *   comment:{a}:{id}                 JSON StoredComment   metadata {s, t, p, h}: the source of truth
 *   thread:{a}                       JSON ThreadHead      metadata {t}: count + first page, read by page views
 *   thread-all:{a}                   JSON PublicComment[]  every public comment in order, when there are more than a page
 *   queue:{status}:{newest-first}:{a}:{id}   ""         moderation index across articles, newest first
 */
export const commentKeys = {
  comment: (a: string, id: string) => `comment:${a}:${id}`,
  commentPrefix: (a: string) => `comment:${a}:`,
  allCommentsPrefix: "comment:",
  head: (a: string) => `thread:${a}`,
  headPrefix: "thread:",
  all: (a: string) => `thread-all:${a}`,
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
