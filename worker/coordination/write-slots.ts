import { DurableObject } from "cloudflare:workers";

/**
 * KV refuses a second write to one key within a second. Invocations at different locations cannot
 * see each other, so the writes to one article's shared keys (its aggregate, its thread, a voter's
 * key, a comment's key) take turns here: one object per article (and one for the cron's attention
 * set), holding when each key may next be written.
 * Nothing is stored: an object is only evicted after a quiet spell longer than any turn.
 */
export class WriteSlots extends DurableObject<Env> {
  private readonly nextFree = new Map<string, number>();
  private readonly granted = new Map<string, number>();

  /**
   * The time (epoch ms) at which the caller may write all of `keys`, booked for it; null when that
   * is more than `maxWaitMs` away (nothing booked then). Turns are `gapMs` apart.
   */
  reserve(keys: string[], maxWaitMs: number, gapMs = WRITE_GAP_MS): number | null {
    const now = Date.now();
    const at = Math.max(now, ...keys.map((key) => this.nextFree.get(key) ?? 0));
    if (at - now > maxWaitMs) return null;
    for (const key of keys) this.nextFree.set(key, at + gapMs);
    for (const [key, free] of this.nextFree) if (free < now) this.nextFree.delete(key);
    return at;
  }

  /**
   * As reserve, for a write that only needs to happen once in a while (adding an entry to the
   * cron's attention set, which stays there for minutes): null also when the same `entry` got a
   * turn within `windowMs`, so a burst of requests asking for the same entry writes it once.
   */
  reserveOnce(entry: string, windowMs: number, keys: string[], maxWaitMs: number, gapMs = WRITE_GAP_MS): number | null {
    const now = Date.now();
    if (now - (this.granted.get(entry) ?? -Infinity) < windowMs) return null;
    const at = this.reserve(keys, maxWaitMs, gapMs);
    if (at !== null) this.granted.set(entry, at);
    for (const [key, grantedAt] of this.granted) if (now - grantedAt >= windowMs) this.granted.delete(key);
    return at;
  }
}

/** KV takes one write per second per key; the margin covers clocks and latencies that differ a little. */
export const WRITE_GAP_MS = 1_500;
