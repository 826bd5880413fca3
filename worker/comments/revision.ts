import type { Status, StoredComment } from "./model";

/**
 * Edits awaiting review. Under pre-moderation an author's edit of a published comment is kept
 * beside the published text (`revision`) until a moderator settles it, so nothing unreviewed is
 * ever shown. The comment stays `approved`; an extra entry in the pending queue index lists it
 * for moderators (the same key it would have as a pending comment, so never two): see
 * queueKeys in writer/comment-desk.ts.
 */

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
