import { COMMENT_ID, newCommentId, type StoredComment } from "../comments/model";
import { moderate } from "../comments/revision";
import { bodyHash, hasDuplicate, readComment, rememberBody, saveAndShowAll, type CommentChange } from "../comments/store";
import { trust } from "../comments/trust";
import { ApiError } from "../http/errors";
import { publicId } from "../lib/hash";

export interface OwnerCommentInput {
  body: string;
  parentId?: string;
}

/**
 * The site owner's comment or reply, written in /admin: published at once, signed with
 * OWNER_NAME and marked as the owner's; a reply to a pending comment approves it too. It has no edit token (the owner edits in /admin) and no
 * client address. Costs what publishing a reader's comment costs: the parent, the duplicate
 * marker, then the comment, its queue entry and the thread head.
 */
export async function writeOwnerComment(
  kv: KVNamespace,
  secret: string,
  ownerName: string,
  article: string,
  input: OwnerCommentInput,
  now: number,
): Promise<{ comment: StoredComment; approvedParent: StoredComment | null }> {
  const a = await publicId(article);
  let parent: StoredComment | null = null;
  if (input.parentId !== undefined) {
    parent = COMMENT_ID.test(input.parentId) ? await readComment(kv, a, input.parentId) : null;
    if (parent?.status !== "approved" && parent?.status !== "pending") {
      throw new ApiError(400, "invalid_comment", "`parentId` must be a published or pending comment on this article.", { field: "parentId" });
    }
  }
  const hash = await bodyHash(secret, input.body);
  if (await hasDuplicate(kv, a, hash)) throw new ApiError(409, "duplicate", "This comment has already been posted here.");
  const comment: StoredComment = {
    id: newCommentId(now),
    article,
    parentId: input.parentId ?? null,
    author: ownerName,
    email: null,
    website: null,
    body: input.body,
    createdAt: now,
    editedAt: null,
    owner: true,
    status: "approved",
    editTokenHash: "",
    ipHash: "",
  };
  // Replying to a comment awaiting moderation approves it, as in WordPress: the reply must not
  // answer something readers cannot see. One thread write for both.
  const approving = parent?.status === "pending" ? parent : null;
  const changes: CommentChange[] = approving ? [{ before: approving, next: moderate(approving, { status: "approved" }, now), bodyHash: await bodyHash(secret, approving.body) }] : [];
  const results = await saveAndShowAll(kv, a, article, now, [...changes, { before: null, next: comment, bodyHash: hash }]);
  if (approving) await trust(kv, secret, approving).catch(() => {});
  await rememberBody(kv, a, hash, comment.id);
  return { comment: results.at(-1)!, approvedParent: approving ? results[0]! : null };
}
