// What changes a status's count, and the one-off count of a status's queue: loaded with the
// writers and the import, not at a cold start (the counts object itself must be, as a class the
// Worker exports).
import { listPages } from "../lib/kv";
import { commentKeys } from "./keys";
import { STATUSES, type Status } from "./model";
import { COUNTS_NAME, type CountChange } from "./counts";

const statusOfQueueKey = (key: string) => key.split(":")[1] as Status;

/** Add to `change` what replacing the queue entries `old` by `fresh` does to each status's count. */
export function addQueueChange(change: CountChange, old: Set<string>, fresh: Set<string>): void {
  for (const entry of fresh) if (!old.has(entry)) change[statusOfQueueKey(entry)] = (change[statusOfQueueKey(entry)] ?? 0) + 1;
  for (const entry of old) if (!fresh.has(entry)) change[statusOfQueueKey(entry)] = (change[statusOfQueueKey(entry)] ?? 0) - 1;
}

const isEmpty = (change: CountChange) => STATUSES.every((status) => !change[status]);

/** Entries in one status's queue index: one list() per 1,000. */
export async function countIndex(kv: KVNamespace, status: Status): Promise<number> {
  let count = 0;
  for await (const keys of listPages(kv, commentKeys.queuePrefix(status))) count += keys.length;
  return count;
}

/**
 * Tell the site's counts what a writer's call changed. Best-effort: the change is saved either
 * way, and a count must never refuse a moderator's decision.
 */
export async function reportCountChange(env: Env, change: CountChange): Promise<void> {
  if (!env.COUNTS || isEmpty(change)) return;
  try {
    await env.COUNTS.get(env.COUNTS.idFromName(COUNTS_NAME)).add(change);
  } catch (error) {
    console.error("The comment counts missed a change", change, error);
  }
}

