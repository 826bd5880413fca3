import { DurableObject } from "cloudflare:workers";
import { isQuotaError } from "../http/errors";
import { SETTLE_MS } from "../lib/consistency";
import type { StoredAggregate } from "../ratings/keys";
import { DUTY_GRACE_MS, RunningTallies, type AggregateWrite, type TallyOutcome, type TallySeed, type TallySnapshot, type VoteChange } from "./running-tallies";
import { untilTurn } from "./until-turn";

/**
 * KV refuses a second write to one key within a second. Invocations at different locations cannot
 * see each other, so the writes to one article's shared keys (its aggregate, its thread, a voter's
 * key, a comment's key) take turns here: one object per article (and one for the cron's attention
 * set), holding when each key may next be written, and the running count of a busy article's
 * votes (see RunningTallies).
 * Nothing is stored but an alarm: an object is only evicted after a quiet spell longer than any
 * turn, and a count it loses is started again from KV (and verified by the cron when that read may
 * lag). The alarm backs the requests that hold a duty to write a tally: if one dies before its
 * turn, or cannot make its write, the object writes the tally itself.
 */
export class WriteSlots extends DurableObject<Env> {
  private readonly nextFree = new Map<string, number>();
  private readonly granted = new Map<string, number>();
  /** The alarm set for the first duty to lapse, so a busy article sets it once, not per vote. */
  private alarmAt: number | null = null;
  private readonly tallies = new RunningTallies(
    (keys, maxWaitMs, gapMs) => this.reserve(keys, maxWaitMs, gapMs),
    (key) => this.nextFree.get(key) ?? Date.now(),
  );

  /**
   * The time (epoch ms) at which the caller may write all of `keys`, booked for it; null when that
   * is more than `maxWaitMs` away (nothing booked then). Turns are `gapMs` apart.
   */
  reserve(keys: string[], maxWaitMs: number, gapMs = WRITE_GAP_MS): number | null {
    const now = Date.now();
    const at = Math.max(now, ...keys.map((key) => this.nextFree.get(key) ?? 0));
    if (at - now > maxWaitMs) return null;
    for (const key of keys) this.nextFree.set(key, at + gapMs);
    // Kept for a while after their turn: a count started now must know the key was written lately.
    for (const [key, free] of this.nextFree) if (free < now - SETTLE_MS) this.nextFree.delete(key);
    return at;
  }

  /**
   * Before a vote key is written: a first vote is admitted under the per-network cap (`client`
   * null for a changed vote), then the voter's key gets its turn. "limited": the cap is reached;
   * null: the queue for the key is longer than `maxWaitMs`.
   */
  admitVote(key: string, voterKey: string, seed: TallySeed, client: string | null, cap: number, maxWaitMs: number, gapMs = WRITE_GAP_MS): number | "limited" | null {
    if (client !== null && !this.tallies.admit(key, this.seedFor(key, seed), client, cap)) return "limited";
    return this.reserve([voterKey], maxWaitMs, gapMs);
  }

  /** Count a stored vote into its article's running tally (`key` is the aggregate's); see RunningTallies. */
  async tally(key: string, seed: TallySeed, change: VoteChange, gapMs = WRITE_GAP_MS): Promise<TallyOutcome> {
    const outcome = this.tallies.tally(key, this.seedFor(key, seed), change, gapMs);
    if (outcome.flushAt !== undefined) await this.watchDuties();
    return outcome;
  }

  /**
   * A duty's holder died before its turn (its waitUntil work was cut off), or a request gave its
   * write back: write the tally here.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const lapsed = this.tallies.takeLapsed(Date.now(), DUTY_GRACE_MS);
    await Promise.all(
      lapsed.map(async ({ key, at, write }) => {
        await untilTurn(at);
        try {
          await this.env.PLAUDIT.put(key, write.value, { metadata: write.metadata });
        } catch (error) {
          // Out of the day's writes: trying every 10 s until midnight would only spend requests.
          if (isQuotaError(error)) {
            console.warn(`Could not write ${key}: out of KV writes for the day; the sweep recounts it`, error);
          } else {
            console.warn(`Could not write ${key} for a lapsed duty; trying again`, error);
            this.tallies.unwritten(key, write, Date.now() + DUTY_GRACE_MS);
          }
        }
      }),
    );
    await this.watchDuties();
  }

  /**
   * A request could not make `write` (see RunningTallies.unwritten): a duty's holder, the next
   * vote or the alarm writes the tally instead, at no KV cost. False: ask the cron.
   */
  async unwritten(key: string, write: Pick<AggregateWrite, "tally" | "metadata">): Promise<boolean> {
    if (!this.tallies.unwritten(key, write, Date.now())) return false;
    await this.watchDuties();
    return true;
  }

  private async watchDuties(): Promise<void> {
    const lapse = this.tallies.nextLapse();
    if (lapse === null || (this.alarmAt !== null && this.alarmAt <= lapse)) return;
    this.alarmAt = lapse;
    await this.ctx.storage.setAlarm(lapse);
  }

  /** Written through this object within the last minute: a read from elsewhere may not show it yet. */
  private seedFor(key: string, seed: TallySeed): TallySeed {
    const writtenLately = (this.nextFree.get(key) ?? 0) > Date.now() - SETTLE_MS;
    return { ...seed, unsure: seed.unsure || writtenLately };
  }

  collect(key: string, maxWaitMs: number, gapMs = WRITE_GAP_MS): { at: number; write: AggregateWrite } | "done" | "busy" {
    return this.tallies.collect(key, maxWaitMs, gapMs);
  }

  snapshot(key: string): TallySnapshot | null {
    return this.tallies.snapshot(key);
  }

  correct(key: string, value: StoredAggregate, basis: number, write: boolean, maxWaitMs: number, gapMs = WRITE_GAP_MS): number | null {
    return this.tallies.correct(key, value, basis, write, maxWaitMs, gapMs);
  }

  adopt(key: string, value: StoredAggregate, keys: string[], maxWaitMs: number, gapMs = WRITE_GAP_MS): number | null {
    return this.tallies.adopt(key, value, keys, maxWaitMs, gapMs);
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
