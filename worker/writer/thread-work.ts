// What an article's writer loads on its first change in an isolate, so that a cold start for a
// page view (which never reaches a writer) does not compile it.
import { commentKeys } from "../comments/keys";
import type { CommentMetadata, StoredComment } from "../comments/model";
import { getMany, listAll } from "../lib/kv";

export { CommentDesk } from "./comment-desk";
export { ThreadState } from "./thread-state";
export { headOf, layoutThread } from "../comments/thread-writer";
export { reportCountChange } from "../comments/count-changes";

/** An article's published comments, from the comment keys themselves (for a repair). */
export async function listPublished(kv: KVNamespace, a: string): Promise<StoredComment[]> {
  const ids: string[] = [];
  for await (const key of listAll<CommentMetadata>(kv, commentKeys.commentPrefix(a))) if (key.metadata?.s === "approved") ids.push(key.name);
  return [...(await getMany<StoredComment>(kv, ids)).values()].filter((comment) => comment.status === "approved");
}
