import { takeTurnOnce } from "../coordination/turns";
/**
 * Articles the cron must look at next run, kept in ONE key so that an idle cron costs one read a
 * minute and no list(). Requests add to it rarely (an article turning hot, a failed refresh);
 * a lost addition (two writers at once) is re-added by the article's next write or caught by
 * the periodic checks, so it never needs to be exact.
 */
export const ATTENTION_KEY = "cron:attention";

/** Shorter than any entry's stay in the set: a thread entry waits 90 s for KV to settle, a rating one minutes. */
const MARK_ONCE_WINDOW_MS = 60_000;

export type AttentionKind = "rating" | "thread";

export interface AttentionEntry {
  kind: AttentionKind;
  a: string;
  article: string;
  /** When it was marked, epoch ms. */
  at: number;
  /** Votes are leaving the aggregate to the cron: recount every 15 s, not just once a minute. */
  hot?: boolean;
  /** Votes were written around the article's running tally (an import): recount from the keys even if the tally is verified. */
  full?: boolean;
}

/** Entries by `${kind}:${a}`. */
export type Attention = Record<string, AttentionEntry>;

export const attentionId = (kind: AttentionKind, a: string) => `${kind}:${a}`;

export async function readAttention(kv: KVNamespace): Promise<Attention> {
  return (await kv.get<Attention>(ATTENTION_KEY, "json")) ?? {};
}

/** Best-effort: never fails the request that asks. Costs one read, and a write only when new. */
export async function markForAttention(kv: KVNamespace, entry: AttentionEntry): Promise<void> {
  try {
    // An entry stays in the set for minutes (until the cron finds the article settled), so within
    // a minute of one request adding it, the others of a burst have nothing to add.
    if (!(await takeTurnOnce(kv, ATTENTION_KEY, `${attentionId(entry.kind, entry.a)}:${entry.hot ? "hot" : ""}`, MARK_ONCE_WINDOW_MS))) return;
    const attention = await readAttention(kv);
    const existing = attention[attentionId(entry.kind, entry.a)];
    if (existing && (existing.hot || !entry.hot)) return;
    attention[attentionId(entry.kind, entry.a)] = { ...entry, at: existing?.at ?? entry.at };
    await kv.put(ATTENTION_KEY, JSON.stringify(attention));
  } catch {
    // Another writer got there in the same second, or KV is refusing writes: the periodic
    // checks still find the article.
  }
}
