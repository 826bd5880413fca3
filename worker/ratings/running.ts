// The ratings side of the write coordinator: votes counted into the article's running tally,
// and the recounts, corrections and resets that keep that tally and KV in step.
import { coordinatorOf, MAX_WAIT_MS, untilTurn } from "../coordination/turns";
import type { AggregateWrite, TallyOutcome, TallySeed, TallySnapshot, VoteChange } from "../coordination/running-tallies";
import { ratingKeys, type StoredAggregate } from "./keys";

/**
 * Before the vote key is written: admit a first vote under the per-network cap (`client`; null for
 * a changed vote) and take the voter key's turn. Null without a coordinator (or when it cannot be
 * reached): the caller checks the cap against its read and takes the turn itself.
 */
export async function admitVote(kv: KVNamespace, a: string, voterKey: string, seed: TallySeed, client: string | null, cap: number): Promise<"admitted" | "limited" | "busy" | null> {
  const coordinator = coordinatorOf(kv);
  if (!coordinator) return null;
  let at: number | "limited" | null;
  try {
    at = await coordinator.slot(a).admitVote(ratingKeys.aggregate(a), voterKey, seed, client, cap, MAX_WAIT_MS, coordinator.gapMs);
  } catch {
    return null;
  }
  if (at === "limited") return "limited";
  if (at === null) return "busy";
  await untilTurn(at);
  return "admitted";
}

/**
 * Count a stored vote into the article's running tally. Null without a coordinator (or when it
 * cannot be reached): the caller then updates the aggregate itself.
 */
export async function tallyVote(kv: KVNamespace, a: string, seed: TallySeed, change: VoteChange): Promise<TallyOutcome | null> {
  const coordinator = coordinatorOf(kv);
  if (!coordinator) return null;
  try {
    // RPC typings widen tuples (a Histogram) to arrays; the values are the object's own.
    return (await coordinator.slot(a).tally(ratingKeys.aggregate(a), seed, change, coordinator.gapMs)) as unknown as TallyOutcome;
  } catch {
    return null;
  }
}

/**
 * Write what the tally handed this request: now, or at the turn it was told to come back for
 * (by then it carries every vote counted meanwhile). A write this request cannot make goes back to
 * the coordinator. False when that failed too: the cron must then bring KV up to the tally.
 */
export async function writeTally(kv: KVNamespace, a: string, outcome: TallyOutcome): Promise<boolean> {
  let write: AggregateWrite | undefined = outcome.write;
  if (!write && outcome.flushAt !== undefined) {
    await untilTurn(outcome.flushAt);
    const collected = await collect(kv, a);
    // The coordinator failed, or the queue is too long: the cron writes the tally instead.
    if (collected === undefined || collected === "busy") return false;
    if (collected === "done") return true;
    await untilTurn(collected.at);
    write = collected.write as AggregateWrite;
  }
  if (!write) return true;
  // A request held up past its turn (write.metadata.t) could land its write after a later turn's
  // newer one: it gives the write back instead.
  const { gapMs } = coordinatorOf(kv)!;
  if (gapMs > 0 && Date.now() > write.metadata.t + gapMs) return giveBack(kv, a, write);
  try {
    await kv.put(ratingKeys.aggregate(a), write.value, { metadata: write.metadata });
    return true;
  } catch {
    return giveBack(kv, a, write);
  }
}

/** The coordinator takes back a write its request could not make; false when it cannot. */
async function giveBack(kv: KVNamespace, a: string, write: AggregateWrite): Promise<boolean> {
  try {
    return await coordinatorOf(kv)!.slot(a).unwritten(ratingKeys.aggregate(a), { tally: write.tally, metadata: write.metadata });
  } catch {
    return false;
  }
}

/** What is left to write at the caller's turn; undefined when the coordinator failed. */
async function collect(kv: KVNamespace, a: string) {
  const coordinator = coordinatorOf(kv)!;
  try {
    return await coordinator.slot(a).collect(ratingKeys.aggregate(a), MAX_WAIT_MS, coordinator.gapMs);
  } catch {
    return undefined;
  }
}

/** The article's running tally, if its coordinator holds one. */
export async function snapshotTally(kv: KVNamespace, a: string): Promise<TallySnapshot | null> {
  const coordinator = coordinatorOf(kv);
  if (!coordinator) return null;
  try {
    return (await coordinator.slot(a).snapshot(ratingKeys.aggregate(a))) as TallySnapshot | null;
  } catch {
    return null;
  }
}

/**
 * Before a recount writes `value` (or, with `write` false, confirms the stored one): the
 * coordinator takes it as the count from now on, unless a vote came after `basis`, which the
 * recount could not see. False: leave it for a later run. Waits for the turn to write.
 */
export async function agreeCorrection(kv: KVNamespace, a: string, value: StoredAggregate, basis: number, write: boolean): Promise<boolean> {
  const coordinator = coordinatorOf(kv);
  if (!coordinator) return true;
  let at: number | null;
  try {
    at = await coordinator.slot(a).correct(ratingKeys.aggregate(a), value, basis, write, MAX_WAIT_MS, coordinator.gapMs);
  } catch {
    return true;
  }
  if (at === null) return false;
  await untilTurn(at);
  return true;
}

/**
 * Before an admin reset writes the empty aggregate: it becomes the article's count, and the
 * turn to write `keys` is the caller's. False when the queue is too long.
 */
export async function adoptReset(kv: KVNamespace, a: string, value: StoredAggregate, keys: string[]): Promise<boolean | null> {
  const coordinator = coordinatorOf(kv);
  if (!coordinator) return null;
  let at: number | null;
  try {
    at = await coordinator.slot(a).adopt(ratingKeys.aggregate(a), value, keys, MAX_WAIT_MS, coordinator.gapMs);
  } catch {
    return null;
  }
  if (at === null) return false;
  await untilTurn(at);
  return true;
}
