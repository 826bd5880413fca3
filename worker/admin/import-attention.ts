import { ATTENTION_KEY, attentionId, readAttention, type AttentionEntry } from "../cron/attention";

/** KV takes one write per second per key: the previous batch's write of the set may be that recent. */
const SAME_KEY_GAP_MS = 1_100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hand many articles to the minute cron at once: one read and one write of the attention set
 * for a whole batch, where markForAttention per article would write the same key many times a
 * second. Returns false when the set could not be written (the periodic sweep still finds them).
 */
export async function markAllForAttention(kv: KVNamespace, entries: AttentionEntry[]): Promise<boolean> {
  if (entries.length === 0) return true;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const attention = await readAttention(kv);
      const missing = entries.filter((entry) => {
        const existing = attention[attentionId(entry.kind, entry.a)];
        return !existing || (entry.full && !existing.full);
      });
      if (missing.length === 0) return true;
      for (const entry of missing) attention[attentionId(entry.kind, entry.a)] = entry;
      await kv.put(ATTENTION_KEY, JSON.stringify(attention));
      return true;
    } catch {
      if (attempt === 0) await sleep(SAME_KEY_GAP_MS);
    }
  }
  return false;
}
