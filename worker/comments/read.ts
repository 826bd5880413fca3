import { commentKeys } from "./keys";
import type { StoredComment } from "./model";

// Apart from the writes in store.ts, so that a cold start (the status route) does not compile those.
export async function readComment(kv: KVNamespace, a: string, id: string): Promise<StoredComment | null> {
  return kv.get<StoredComment>(commentKeys.comment(a, id), "json");
}
