import { commentKeys } from "./keys";
import type { Status, StoredComment } from "./model";
import { commentTurn, saveComment } from "./store";

/**
 * Edits awaiting review. Under pre-moderation an author's edit of a published comment is kept
 * beside the published text (`revision`) until a moderator settles it, so nothing unreviewed is
 * ever shown. The comment stays `approved`; an extra entry in the pending queue index lists it
 * for moderators (the same key it would have as a pending comment, so never two).
 */
const revisionQueueKey = (a: string, comment: StoredComment) => commentKeys.queue("pending", comment.createdAt, a, comment.id);

/** Keep `body` as the edit awaiting review of a published comment; `publishedHash` is bodyHash of the published text. */
export async function proposeRevision(kv: KVNamespace, a: string, comment: StoredComment, body: string, now: number, publishedHash: string): Promise<StoredComment> {
  const revised: StoredComment = { ...comment, revision: { body, at: now } };
  // Index first, as saveComment does: a failure in between leaves an entry listings skip.
  await kv.put(revisionQueueKey(a, comment), "");
  await commentTurn(kv, a, comment.id);
  await saveComment(kv, a, revised, publishedHash, comment.status);
  return revised;
}

/** The comment without its revision. */
export function withoutRevision(comment: StoredComment): StoredComment {
  const { revision: _settled, ...rest } = comment;
  return rest;
}

/** The comment as its author's own words again (after the author edits it). */
export function withoutModeratorMark(comment: StoredComment): StoredComment {
  const { editedBy: _moderator, ...rest } = comment;
  return rest;
}

/** After `before`'s revision was settled and `after` saved: remove its queue entry, unless `after` is pending itself. */
export async function forgetRevision(kv: KVNamespace, a: string, before: StoredComment, after: StoredComment | null): Promise<void> {
  if (before.revision && after?.revision === undefined && after?.status !== "pending") {
    await kv.delete(revisionQueueKey(a, before)).catch(() => {});
  }
}

/** True when a listing of `status` should show this comment: its own status, or an edit awaiting review. */
export function listedUnder(status: Status, comment: { status: Status; revision?: unknown }): boolean {
  return comment.status === status || (status === "pending" && comment.revision !== undefined);
}

export interface ModerationChange {
  status?: Status;
  body?: string;
  revision?: "approve" | "discard";
}

/**
 * A moderator's change. Any change settles an edit awaiting review: approving (the comment or
 * the edit) publishes it, while a moderator's own `body`, another status, or "discard" drops it.
 */
export function moderate(comment: StoredComment, change: ModerationChange, now: number): StoredComment {
  const status = change.status ?? comment.status;
  const edit = comment.revision;
  const publishEdit = edit !== undefined && change.body === undefined && change.revision !== "discard" && status === "approved";
  const body = change.body ?? (publishEdit ? edit.body : comment.body);
  const editedAt = publishEdit ? edit.at : body !== comment.body ? now : comment.editedAt;
  // Readers must not take a moderator's words for the author's; publishing the author's edit makes them the author's again.
  const byModerator = change.body !== undefined && body !== comment.body ? true : publishEdit ? false : comment.editedBy === "moderator";
  return { ...withoutModeratorMark(withoutRevision(comment)), status, body, editedAt, ...(byModerator ? { editedBy: "moderator" as const } : {}) };
}
