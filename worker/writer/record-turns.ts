import { untilTurn } from "../coordination/until-turn";

/**
 * KV takes one write per second per key. The writer is the only one writing its article's record
 * keys (a comment, a vote), so it alone knows when each was last written: a second change within
 * the gap waits for its turn, in the object, never the reader's retry.
 */
export class RecordTurns {
  private readonly last = new Map<string, number>();

  constructor(private readonly gapMs: () => number) {}

  /** Wait until `key` may be written, and book that time. */
  async take(key: string): Promise<void> {
    const now = Date.now();
    const gap = this.gapMs();
    const at = Math.max(now, (this.last.get(key) ?? -Infinity) + gap);
    this.last.set(key, at);
    for (const [other, written] of this.last) if (written < now - gap) this.last.delete(other);
    await untilTurn(at);
  }
}
