import { newCommentId, type StoredComment } from "../comments/model";
import { trust } from "../comments/trust";
import { publicId } from "../lib/hash";
import { askWriter } from "../writer/client";
import type { Posted } from "../writer/comment-desk";

export interface OwnerCommentInput {
  body: string;
  parentId?: string;
}

/**
 * The site owner's comment or reply, written in /admin: published at once, signed with
 * OWNER_NAME and marked as the owner's; a reply to a pending comment approves it too. It has no edit token (the owner edits in /admin) and no
 * client address. Costs what publishing a reader's comment costs: the parent, then the comment,
 * its queue entry and a share of the thread's next flush.
 */
export async function writeOwnerComment(
  env: Env,
  secret: string,
  ownerName: string,
  article: string,
  input: OwnerCommentInput,
  now: number,
): Promise<Posted> {
  const ref = { a: await publicId(article), article };
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
  // A reply to a comment awaiting moderation approves it (see CommentDesk.post).
  const posted = await askWriter(env, ref, (writer) => writer.postComment(ref, comment, "published-or-pending"));
  if (posted.approvedParent) await trust(env.PLAUDIT, secret, posted.approvedParent).catch(() => {});
  return posted;
}
