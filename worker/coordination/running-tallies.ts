import { SETTLE_MS } from "../lib/consistency";
import type { AggregateMetadata, EarlierVotes, StoredAggregate } from "../ratings/keys";
import { applyVote, emptyHistogram, type Histogram } from "../ratings/model";
import { recentVotersFrom, trimRecent } from "../ratings/tally";

/** One stored vote's change to its article's count, as the request that stored it saw it. */
export interface VoteChange {
  /** The voter's id in the vote key, so a recount can tell which listed votes this replaces. */
  voter: string;
  /** Short voter tag recorded as the aggregate's last writer (`by`). */
  tag: string;
  from: number | null;
  to: number | null;
  /** The voter's network tag on a first vote (the per-network cap counts these); null otherwise. */
  client: string | null;
  article: string;
}

/** What the request read of the aggregate before its vote: the count a new tally starts from. */
export interface TallySeed {
  stored: StoredAggregate | null;
  /** The read may miss a write made elsewhere in the last minute (the article was active). */
  unsure: boolean;
}

/** An aggregate to put, serialised by the object so every writer writes the same bytes. */
export interface AggregateWrite {
  value: string;
  metadata: AggregateMetadata;
  /** The tally that handed it out, so a write given back is only taken by that same tally. */
  tally: string;
}

export interface TallyOutcome {
  histogram: Histogram;
  earlier?: EarlierVotes;
  /** The turn is the caller's: write this now. */
  write?: AggregateWrite;
  /** The turn is taken: come back at this time (epoch ms) for what to write (`collect`). */
  flushAt?: number;
  /** The count started from a read that may lag: ask the cron to verify it. */
  verify?: boolean;
}

/** What the object knows of an article's count, for the cron's recount. */
export interface TallySnapshot {
  /** The count as the object holds it. */
  value: StoredAggregate;
  /** Verified (or started from a read that could not lag): no recount needed. */
  sure: boolean;
  /** Changes not written yet. */
  dirty: boolean;
  /** When this tally began, epoch ms: its change log reaches back no further. */
  since: number;
  /** When this snapshot was taken: a correction is refused if a vote came after it. */
  asOf: number;
  /** The latest rating of every voter who changed theirs in the last CHANGE_LOG_MS (null: retracted). */
  changes: [voter: string, to: number | null][];
}

interface Running {
  /** Unique per tally: one begun again (after an eviction or restart) is another tally. */
  id: string;
  value: StoredAggregate;
  sure: boolean;
  /** Begun from a read that may lag, and the cron not asked to verify it yet. */
  unverified: boolean;
  since: number;
  changedAt: number;
  /** Last asked for (admission, tally, correction), so an idle one can be dropped. */
  usedAt: number;
  dirty: boolean;
  /**
   * A request holds the duty to write it at its next turn, until this time (epoch ms); null: nobody.
   * Past it the duty counts as lost (the request died before its turn) and the next vote takes it.
   */
  dutyUntil: number | null;
  /** The gap between writes its requests asked for, used when the object writes a lapsed duty itself. */
  gapMs: number;
  /** The turn of the last write handed out (epoch ms; 0: none): a write given back from before it is covered. */
  handedAt: number;
  changes: Map<string, { to: number | null; at: number }>;
}

/**
 * The log covers a recount's blind spot (list() may miss the last 60 s of writes; SETTLE_MS adds
 * a margin) plus the time a recount of a big article takes.
 */
export const CHANGE_LOG_MS = 2 * SETTLE_MS;
/** A tally nobody changed for this long is dropped: KV holds its last write. */
const IDLE_MS = 30 * 60_000;
/** How long past its turn a flush duty may go uncollected: a live holder collects within moments. */
export const DUTY_GRACE_MS = 10_000;

/** A write of an article's aggregate at a booked turn. */
export interface BookedWrite {
  key: string;
  at: number;
  write: AggregateWrite;
}

type Reserve = (keys: string[], maxWaitMs: number, gapMs: number) => number | null;
type NextFree = (key: string) => number;

/**
 * Each busy article's running count, kept by its coordinator object: votes arrive one at a time
 * as changes, so the count stays exact under any rate without a recount, and the aggregate key is
 * written at most once a turn by whichever request holds the turn.
 */
export class RunningTallies {
  private readonly runs = new Map<string, Running>();

  constructor(
    private readonly reserve: Reserve,
    private readonly nextFree: NextFree,
  ) {}

  /**
   * Admit a reader's first vote on the article under the per-network cap, counting it among the
   * network's recent voters at once: parallel votes from one network are admitted one at a time,
   * so a burst cannot pass the cap together. False: the cap is reached.
   */
  admit(key: string, seed: TallySeed, client: string, cap: number): boolean {
    const now = Date.now();
    const run = this.runOf(key, seed, now);
    const recent = trimRecent(run.value.recent ?? [], now);
    if (recentVotersFrom(recent, client, now) >= cap) return false;
    run.value.recent = trimRecent([...recent, [client, now]], now);
    return true;
  }

  tally(key: string, seed: TallySeed, change: VoteChange, gapMs: number): TallyOutcome {
    const now = Date.now();
    this.forgetIdle(now);
    const run = this.runOf(key, seed, now);
    const value = run.value;
    value.histogram = applyVote(value.histogram, change.from ?? undefined, change.to ?? undefined);
    if (change.client) value.recent = trimRecent([...(value.recent ?? []), [change.client, now]], now);
    value.article ||= change.article;
    value.by = change.tag;
    value.byRating = change.to;
    run.changes.set(change.voter, { to: change.to, at: now });
    for (const [voter, { at }] of run.changes) if (now - at > CHANGE_LOG_MS) run.changes.delete(voter);
    run.changedAt = now;
    run.dirty = true;
    run.gapMs = gapMs;

    const outcome: TallyOutcome = { histogram: [...value.histogram] as Histogram, ...(value.earlier ? { earlier: value.earlier } : {}) };
    if (run.unverified) {
      outcome.verify = true;
      run.unverified = false;
    }
    const at = this.reserve([key], 0, gapMs);
    if (at !== null) outcome.write = handOut(run, at);
    else if (run.dutyUntil === null || now > run.dutyUntil) {
      outcome.flushAt = this.nextFree(key);
      run.dutyUntil = outcome.flushAt + DUTY_GRACE_MS;
    }
    return outcome;
  }

  /**
   * For the request holding the flush duty: what to write at its turn; "done" when nothing is
   * left to write, "busy" when the queue for the key is longer than `maxWaitMs`.
   */
  collect(key: string, maxWaitMs: number, gapMs: number): { at: number; write: AggregateWrite } | "done" | "busy" {
    const run = this.runs.get(key);
    if (!run) return "done";
    run.dutyUntil = null;
    if (!run.dirty) return "done";
    const at = this.reserve([key], maxWaitMs, gapMs);
    return at === null ? "busy" : { at, write: handOut(run, at) };
  }

  /**
   * Duties whose holder never came back (it died before its turn): what to write for each, booked
   * at its turn, for the object to write itself. A run whose turn cannot be had within
   * `maxWaitMs` keeps its duty for the next call.
   */
  takeLapsed(now: number, maxWaitMs: number): BookedWrite[] {
    const writes: BookedWrite[] = [];
    for (const [key, run] of this.runs) {
      if (run.dutyUntil === null || now < run.dutyUntil) continue;
      run.dutyUntil = null;
      if (!run.dirty) continue;
      const at = this.reserve([key], maxWaitMs, run.gapMs);
      if (at === null) run.dutyUntil = now + DUTY_GRACE_MS;
      else writes.push({ key, at, write: handOut(run, at) });
    }
    return writes;
  }

  /** When the first duty held now lapses; null when nobody holds one. */
  nextLapse(): number | null {
    let first: number | null = null;
    for (const run of this.runs.values()) if (run.dutyUntil !== null && (first === null || run.dutyUntil < first)) first = run.dutyUntil;
    return first;
  }

  /**
   * `write` was not made (its put failed, or its request was held up past its turn): the run is to
   * be written again, by the holder of a live duty, the next vote, or the alarm from `retryAt`. True
   * when this tally covers it; false when it no longer holds the count that write carried (it was
   * dropped or begun again since), so the caller must ask the cron to check the stored count.
   * A later turn's write carries every vote this one did: nothing to do then (if that one is lost
   * too, the sweep recounts).
   */
  unwritten(key: string, write: Pick<AggregateWrite, "tally" | "metadata">, retryAt: number): boolean {
    const run = this.runs.get(key);
    if (!run || run.id !== write.tally) return false;
    if (run.handedAt > write.metadata.t) return true;
    run.dirty = true;
    run.dutyUntil ??= retryAt;
    return true;
  }

  snapshot(key: string): TallySnapshot | null {
    const run = this.runs.get(key);
    if (!run) return null;
    return { value: structuredClone(run.value), sure: run.sure, dirty: run.dirty, since: run.since, asOf: Date.now(), changes: [...run.changes].map(([voter, { to }]) => [voter, to]) };
  }

  /**
   * A recount's result, taken as the count from now on unless a vote came after `basis` (the
   * recount could not see it). Returns the turn to write it (null: refused, try again later), or
   * 0 when `write` is false (the stored aggregate already says this).
   */
  correct(key: string, value: StoredAggregate, basis: number, write: boolean, maxWaitMs: number, gapMs: number): number | null {
    const run = this.runs.get(key);
    if (run && run.changedAt > basis) return null;
    const at = write ? this.reserve([key], maxWaitMs, gapMs) : 0;
    if (at === null) return null;
    if (run) Object.assign(run, { value: structuredClone(value), sure: true, dirty: false, ...(write ? { handedAt: at } : {}) });
    return at;
  }

  /** A value written outside votes (an admin reset) that is exact: the count from now on. */
  adopt(key: string, value: StoredAggregate, keys: string[], maxWaitMs: number, gapMs: number): number | null {
    const at = this.reserve(keys, maxWaitMs, gapMs);
    if (at === null) return null;
    const now = Date.now();
    this.runs.set(key, { id: crypto.randomUUID(), value: structuredClone(value), sure: true, unverified: false, since: now, changedAt: now, usedAt: now, dirty: false, dutyUntil: null, gapMs, handedAt: at, changes: new Map() });
    return at;
  }

  private runOf(key: string, seed: TallySeed, now: number): Running {
    let run = this.runs.get(key);
    if (!run) this.runs.set(key, (run = startRun(seed, now)));
    run.usedAt = now;
    return run;
  }

  private forgetIdle(now: number): void {
    for (const [key, run] of this.runs) if (!run.dirty && now - run.usedAt > IDLE_MS) this.runs.delete(key);
  }
}

function startRun(seed: TallySeed, now: number): Running {
  const stored = seed.stored;
  const value: StoredAggregate = stored ? structuredClone(stored) : { article: "", histogram: emptyHistogram(), updatedAt: 0 };
  return { id: crypto.randomUUID(), value, sure: !seed.unsure, unverified: seed.unsure, since: now, changedAt: 0, usedAt: now, dirty: false, dutyUntil: null, gapMs: 0, handedAt: 0, changes: new Map() };
}

function handOut(run: Running, at: number): AggregateWrite {
  run.dirty = false;
  run.dutyUntil = null;
  run.handedAt = at;
  const value = { ...run.value, updatedAt: at };
  const metadata: AggregateMetadata = { t: at, h: value.histogram, ...(value.earlier ? { e: [value.earlier.count, value.earlier.sum] as [number, number] } : {}) };
  return { value: JSON.stringify(value), metadata, tally: run.id };
}
