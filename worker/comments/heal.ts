import { eachLimited, listAll } from "../lib/kv";
import { commentKeys } from "./keys";
import type { StoredComment } from "./model";
import { STALE_THREAD_PREFIX } from "./store";
import { rebuildThread, type ThreadHead } from "./thread";

export interface HealReport {
  checked: number;
  rebuilt: number;
}

/**
 * Rebuild materialised threads from the comment keys: those touched since `since` (plus any with
 * a "rebuild me" marker), or, without `since`, every article that has comments.
 */
export async function healThreads(kv: KVNamespace, now: number, since?: number): Promise<HealReport> {
  const targets = new Map<string, string | undefined>();
  for await (const key of listAll<{ t?: number }>(kv, commentKeys.headPrefix)) {
    if (since === undefined || (key.metadata?.t ?? 0) >= since) targets.set(key.name.slice(commentKeys.headPrefix.length), undefined);
  }
  for await (const key of listAll<{ article?: string }>(kv, STALE_THREAD_PREFIX)) {
    targets.set(key.name.slice(STALE_THREAD_PREFIX.length), key.metadata?.article);
  }
  if (since === undefined) {
    // Articles whose comments never made it into a thread yet (every write failed) are found here.
    for await (const key of listAll(kv, commentKeys.allCommentsPrefix)) {
      const a = key.name.split(":")[1]!;
      if (!targets.has(a)) targets.set(a, (await kv.get<StoredComment>(key.name, "json"))?.article);
    }
  }
  const report: HealReport = { checked: targets.size, rebuilt: 0 };
  await eachLimited([...targets], 4, async ([a, known]) => {
    const article = known ?? (await kv.get<ThreadHead>(commentKeys.head(a), "json"))?.article;
    if (article !== undefined && (await rebuildThread(kv, a, article, now, { onlyIfChanged: true }))) report.rebuilt += 1;
  });
  return report;
}
