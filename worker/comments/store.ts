import { takeWriteTurn, waitForTurn } from "../coordination/turns";
import { markForAttention } from "../cron/attention";
import { privateId } from "../lib/hash";
import { ACTIVE_WINDOW_MS } from "../lib/consistency";
import { commentKeys } from "./keys";
import { normaliseForDuplicate, type CommentMetadata, type Status, type StoredComment } from "./model";
import { ThreadEdit } from "./thread-writer";

export { readComment } from "./read";

/** Keyed hash of a body for the duplicate check: equal for bodies differing only in case and spacing. */
export async function bodyHash(secret: string, body: string): Promise<string> {
  return (await privateId(secret, "body", normaliseForDuplicate(body))).slice(0, 16);
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

/**
 * A moderator acting on a comment within a second of its author's edit (or of another moderator)
 * writes its keys twice in that second: the second change waits its turn. The comment key's turn
 * covers its queue entries, which only change with it.
 */
export async function commentTurn(kv: KVNamespace, a: string, id: string): Promise<void> {
  await waitForTurn(kv, a, [commentKeys.comment(a, id)]);
}

/**
 * True when a live comment on this article (other than `exceptId`, being edited) has this body
 * hash: two reads at most, whatever the size of the thread.
 */
export async function hasDuplicate(kv: KVNamespace, a: string, bodyHash: string, exceptId?: string): Promise<boolean> {
  const id = await kv.get(commentKeys.duplicate(a, bodyHash));
  if (id === null || id === exceptId) return false;
  // The marker outlives what it points at: that comment may since have been edited, removed or erased.
  const { metadata } = await kv.getWithMetadata<CommentMetadata>(commentKeys.comment(a, id));
  return metadata !== null && metadata.h === bodyHash && metadata.s !== "deleted" && metadata.s !== "spam";
}

/** Remember who posted this text. Best-effort: a lost marker only lets one duplicate through. */
export async function rememberBody(kv: KVNamespace, a: string, bodyHash: string, id: string): Promise<void> {
  await kv.put(commentKeys.duplicate(a, bodyHash), id).catch(() => {});
}

const isPublic = (comment: StoredComment | null | undefined) => comment?.status === "approved";

/** One comment's change: what it was (null: new), what it becomes (null: erased), its text's hash. */
export interface CommentChange {
  before: StoredComment | null;
  next: StoredComment | null;
  bodyHash: string;
}

/**
 * Save a change to a comment (`next`; null erases it for good) and show it in the public thread
 * at once, in a bounded number of KV operations. The comment is the source of truth and is
 * written first; if the thread cannot follow (a write racing another one on the same key), the
 * cron rebuilds it from the comments. `bodyHash` is the saved text's (unused when erasing).
 */
export async function saveAndShow(kv: KVNamespace, a: string, article: string, now: number, before: StoredComment | null, next: StoredComment | null, bodyHash: string): Promise<StoredComment | null> {
  return (await saveAndShowAll(kv, a, article, now, [{ before, next, bodyHash }]))[0]!;
}

/**
 * Several changes to one article's comments, in order, with one read and one write of the thread
 * head for all of them: a second write of the head in the same second would be refused.
 */
export async function saveAndShowAll(kv: KVNamespace, a: string, article: string, now: number, changes: CommentChange[]): Promise<(StoredComment | null)[]> {
  const touchesThread = changes.some(({ before, next }) => isPublic(before) || isPublic(next));
  // The head is written with every change of the thread, so its turn covers the pages too. When
  // too many changes queue for it (a bulk approval), the comments are saved and the cron shows them.
  // One turn for the head and the comments' own keys: a turn taken for the head and then a wait
  // for a comment's (written by its author a moment ago) would write the head after its turn.
  const ownKeys = changes.map(({ before, next }) => commentKeys.comment(a, (next ?? before)!.id));
  const turn = touchesThread && (await takeWriteTurn(kv, a, [commentKeys.head(a), ...ownKeys], "wait"));
  const thread = turn ? await ThreadEdit.open(kv, a, article) : null;
  let allShown = true;
  const results: (StoredComment | null)[] = [];
  for (const { before, next, bodyHash } of changes) {
    let saved = next;
    let shown = true;
    if (thread && next && isPublic(next)) {
      if (isPublic(before)) {
        const page = await thread.replace({ ...next, page: before!.page });
        shown = page !== null;
        // Comments from before pages learn theirs here.
        if (page !== null) saved = { ...next, page, publishedAt: before!.publishedAt ?? before!.createdAt };
      } else saved = await thread.publish(next, now);
    } else if (thread && before && isPublic(before)) {
      shown = await thread.remove(before);
      if (saved) saved = withoutPlace(saved);
    }
    if (!turn) await commentTurn(kv, a, (next ?? before)!.id);
    if (saved) await saveComment(kv, a, saved, bodyHash, before?.status);
    else if (before) await eraseComment(kv, a, before);
    allShown &&= shown;
    results.push(saved);
  }
  if (thread) await commitThread(kv, thread, a, article, now, allShown);
  else if (touchesThread) await markForAttention(kv, { kind: "thread", a, article, at: now });
  return results;
}

function withoutPlace(comment: StoredComment): StoredComment {
  const { page: _page, publishedAt: _publishedAt, ...rest } = comment;
  return rest;
}

async function commitThread(kv: KVNamespace, thread: ThreadEdit, a: string, article: string, now: number, shown: boolean): Promise<void> {
  try {
    await thread.commit(now);
    // On an active thread a change elsewhere may have raced this one (each read the head before
    // the other wrote it), or the comment was not where its page said: the cron checks once KV
    // has settled.
    if (!shown || (thread.writtenAt !== null && now - thread.writtenAt < ACTIVE_WINDOW_MS)) await markForAttention(kv, { kind: "thread", a, article, at: now });
  } catch {
    // If even this fails, the periodic sweep finds the thread whose count is off.
    await markForAttention(kv, { kind: "thread", a, article, at: now });
  }
}

/** Erase a comment for good (GDPR): the comment key and its queue entry. */
async function eraseComment(kv: KVNamespace, a: string, comment: StoredComment): Promise<void> {
  await kv.delete(commentKeys.comment(a, comment.id));
  await kv.delete(commentKeys.queue(comment.status, comment.createdAt, a, comment.id)).catch(() => {});
}
