import { markForAttention } from "../cron/attention";
import { privateId } from "../lib/hash";
import { listAll } from "../lib/kv";
import { commentKeys } from "./keys";
import { normaliseForDuplicate, type CommentMetadata, type Status, type StoredComment } from "./model";
import { SETTLE_MS } from "../lib/consistency";
import { rebuildThread, type HeadMetadata, type RebuildOptions } from "./thread";

/** Keyed hash of a body for the duplicate check: equal for bodies differing only in case and spacing. */
export async function bodyHash(secret: string, body: string): Promise<string> {
  return (await privateId(secret, "body", normaliseForDuplicate(body))).slice(0, 16);
}

export async function readComment(kv: KVNamespace, a: string, id: string): Promise<StoredComment | null> {
  return kv.get<StoredComment>(commentKeys.comment(a, id), "json");
}

function metadataOf(comment: StoredComment, bodyHash: string): CommentMetadata {
  return { s: comment.status, t: comment.createdAt, p: comment.parentId, h: bodyHash, ...(comment.revision ? { r: 1 as const } : {}) };
}

/**
 * Write a comment and keep the moderation queue index in step. The new index key is written
 * first and the old one removed last: a failure in between leaves an extra index entry, which
 * listings skip by checking the comment itself, never a comment the queue cannot find.
 */
export async function saveComment(kv: KVNamespace, a: string, comment: StoredComment, bodyHash: string, previous?: Status): Promise<void> {
  if (previous !== comment.status) {
    await kv.put(commentKeys.queue(comment.status, comment.createdAt, a, comment.id), "");
  }
  await kv.put(commentKeys.comment(a, comment.id), JSON.stringify(comment), { metadata: metadataOf(comment, bodyHash) });
  if (previous && previous !== comment.status) {
    await kv.delete(commentKeys.queue(previous, comment.createdAt, a, comment.id)).catch(() => {});
  }
}

/** Erase a comment for good (GDPR): the comment key and its queue entry. */
export async function eraseComment(kv: KVNamespace, a: string, comment: StoredComment): Promise<void> {
  await kv.delete(commentKeys.comment(a, comment.id));
  await kv.delete(commentKeys.queue(comment.status, comment.createdAt, a, comment.id)).catch(() => {});
}

/** True when a live comment on this article (other than `exceptId`, being edited) already has this body hash. */
export async function hasDuplicate(kv: KVNamespace, a: string, bodyHash: string, exceptId?: string): Promise<boolean> {
  for await (const key of listAll<CommentMetadata>(kv, commentKeys.commentPrefix(a))) {
    if (exceptId !== undefined && key.name === commentKeys.comment(a, exceptId)) continue;
    if (key.metadata?.h === bodyHash && key.metadata.s !== "deleted" && key.metadata.s !== "spam") return true;
  }
  return false;
}

/**
 * Refresh the public thread after a change to an approved comment. Best-effort: the comment is
 * already stored, so a failure hands the article to the cron instead of failing the request.
 */
export async function refreshThread(kv: KVNamespace, a: string, article: string, now: number, change: RebuildOptions): Promise<void> {
  try {
    const { metadata } = await kv.getWithMetadata<HeadMetadata>(commentKeys.head(a));
    await rebuildThread(kv, a, article, now, change);
    // Another change moments ago may not be listed yet, so this rebuild may have missed it: the
    // cron rebuilds the thread again once list() has caught up.
    if (metadata && now - metadata.t < SETTLE_MS) await markForAttention(kv, { kind: "thread", a, article, at: now });
  } catch {
    // If even this fails, the periodic sweep finds the thread whose count is off.
    await markForAttention(kv, { kind: "thread", a, article, at: now });
  }
}
