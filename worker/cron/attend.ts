import { SETTLE_MS } from "../lib/consistency";
import { HOT_WINDOW_MS } from "../ratings/store";
import { recountArticle } from "../ratings/recount";
import { OutOfBudget } from "../lib/kv";
import { ATTENTION_KEY, type Attention, type AttentionEntry } from "./attention";
import type { RepairThread } from "./repairs";

export interface AttentionReport {
  ratingsRecounted: number;
  threadsRebuilt: number;
  /** Articles still hot after this run. */
  hot: number;
}

/**
 * Recount the articles in the attention set. A rating entry stays while its article is hot: it
 * leaves only once a recount changes nothing and the aggregate was last written over two hot
 * windows ago, because by then every vote cast while it was hot is visible to list().
 */
export async function attend(kv: KVNamespace, repair: RepairThread, attention: Attention, now: number, report: AttentionReport, { hotOnly = false } = {}): Promise<Attention> {
  const next: Attention = { ...attention };
  // Hot ratings first and thread rebuilds last: a rebuild of a huge thread that runs out of this
  // run's KV budget must not keep hot articles from their recounts, run after run.
  const rank = (entry: AttentionEntry) => (entry.kind === "thread" ? 2 : entry.hot ? 0 : 1);
  const entries = Object.entries(attention).sort(([, x], [, y]) => rank(x) - rank(y));
  try {
    await attendEach(kv, repair, entries, next, now, report, hotOnly);
  } catch (error) {
    // Out of budget: what is done stays done; the rest waits for the next run.
    if (!(error instanceof OutOfBudget)) throw error;
  }
  report.hot = Object.values(next).filter((entry) => entry.kind === "rating" && entry.hot).length;
  return next;
}

async function attendEach(kv: KVNamespace, repair: RepairThread, entries: [string, AttentionEntry][], next: Attention, now: number, report: AttentionReport, hotOnly: boolean): Promise<void> {
  for (const [id, entry] of entries) {
    if (hotOnly && !entry.hot) continue;
    if (entry.kind === "thread") {
      // Comments written moments ago (an import's) are not listed yet: the repair would miss them.
      if (now - entry.at < SETTLE_MS) continue;
      const result = await repair(entry.a, entry.article);
      if (result === "later") continue;
      if (result === "rebuilt") report.threadsRebuilt += 1;
      delete next[id];
      continue;
    }
    const outcome = await recountArticle(kv, entry.a, entry.article, now, { full: entry.full === true });
    report.ratingsRecounted += 1;
    // Imported votes: done with the first recount that came after their keys were all listed
    // (nobody votes around them), not watched for minutes as a hot article is.
    const importListed = entry.full === true && now - entry.at >= SETTLE_MS && !outcome.deferred;
    if (outcome.settled || importListed || (!outcome.corrected && !outcome.deferred && now - outcome.writtenAt >= 2 * HOT_WINDOW_MS)) delete next[id];
  }
}

/** Write the attention set back if this run changed it; a write racing a request is retried next run. */
export async function saveAttention(kv: KVNamespace, before: Attention, after: Attention): Promise<void> {
  if (JSON.stringify(after) === JSON.stringify(before)) return;
  try {
    await kv.put(ATTENTION_KEY, JSON.stringify(after));
  } catch (error) {
    console.warn("Could not save the attention set; the next run tries again", error);
  }
}
