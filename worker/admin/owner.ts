import { COMMENT_ID, newCommentId, type StoredComment } from "../comments/model";
import { bodyHash, hasDuplicate, readComment, rememberBody, saveAndShow } from "../comments/store";
import { ApiError } from "../http/errors";
import { publicId } from "../lib/hash";

export interface OwnerCommentInput {
  body: string;
  parentId?: string;
}

/**
 * The site owner's comment or reply, written in /admin: published at once, signed with
 * OWNER_NAME and marked as the owner's. It has no edit token (the owner edits in /admin) and no
 * client address. Costs what publishing a reader's comment costs: the parent, the duplicate
 * marker, then the comment, its queue entry and the thread head.
 */
export async function writeOwnerComment(kv: KVNamespace, secret: string, ownerName: string, article: string, input: OwnerCommentInput, now: number): Promise<StoredComment> {
  const a = await publicId(article);
  if (input.parentId !== undefined) {
    const parent = COMMENT_ID.test(input.parentId) ? await readComment(kv, a, input.parentId) : null;
    if (parent?.status !== "approved") {
      throw new ApiError(400, "invalid_comment", "`parentId` must be a published comment on this article: approve it before replying.", { field: "parentId" });
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
  const saved = (await saveAndShow(kv, a, article, now, null, comment, hash))!;
  await rememberBody(kv, a, hash, saved.id);
  return saved;
}
