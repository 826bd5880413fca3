import { privateId } from "../lib/hash";
import { commentKeys } from "./keys";
import { normaliseForDuplicate, type CommentMetadata } from "./model";

export { readComment } from "./read";

/** Keyed hash of a body for the duplicate check: equal for bodies differing only in case and spacing. */
export async function bodyHash(secret: string, body: string): Promise<string> {
  return (await privateId(secret, "body", normaliseForDuplicate(body))).slice(0, 16);
}

/**
 * The duplicate check of comments posted before articles had a writer, which kept a `dup:` key per
 * text (the writer keeps the check itself now): two reads at most, whatever the size of the thread.
 */
export async function hasLegacyDuplicate(kv: KVNamespace, a: string, bodyHash: string, exceptId?: string): Promise<boolean> {
  const id = await kv.get(commentKeys.duplicate(a, bodyHash));
  if (id === null || id === exceptId) return false;
  // The marker outlives what it points at: that comment may since have been edited, removed or erased.
  const { metadata } = await kv.getWithMetadata<CommentMetadata>(commentKeys.comment(a, id));
  return metadata !== null && metadata.h === bodyHash && metadata.s !== "deleted" && metadata.s !== "spam";
}
