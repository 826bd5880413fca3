import { DurableObject } from "cloudflare:workers";
import { listPages } from "../lib/kv";
import { objectEnv } from "../writer/object-env";
import { commentKeys } from "./keys";
import { STATUSES, type Status } from "./model";

export type StatusCounts = Record<Status, number>;
/** Entries gained (+) or lost (−) in each status's moderation queue by some changes. */
export type CountChange = Partial<StatusCounts>;

const COUNTS = "counts";

const statusOfQueueKey = (key: string) => key.split(":")[1] as Status;

/** Add to `change` what replacing the queue entries `old` by `fresh` does to each status's count. */
export function addQueueChange(change: CountChange, old: Set<string>, fresh: Set<string>): void {
  for (const entry of fresh) if (!old.has(entry)) change[statusOfQueueKey(entry)] = (change[statusOfQueueKey(entry)] ?? 0) + 1;
  for (const entry of old) if (!fresh.has(entry)) change[statusOfQueueKey(entry)] = (change[statusOfQueueKey(entry)] ?? 0) - 1;
}

const isEmpty = (change: CountChange) => STATUSES.every((status) => !change[status]);

/**
 * The site's comment counts per status (the /admin tabs), exact and free to read: every status
 * change goes through an article's writer, which sends this one object what its call changed. One
 * object for the site, not a KV key: KV takes one write a second per key and bills every write
 * against the Free plan's 1,000 a day, while this costs one Durable Object request per change.
 */
export class CommentCounts extends DurableObject<Env> {
  async add(change: CountChange): Promise<void> {
    const counts = await this.ctx.storage.get<StatusCounts>(COUNTS);
    // Not counted yet: the first read counts the whole index, this change included.
    if (!counts) return;
    for (const status of STATUSES) counts[status] += change[status] ?? 0;
    await this.ctx.storage.put(COUNTS, counts);
  }

  /**
   * The counts. The first read on a site that had comments before this object existed counts
   * its moderation index once (one list() per 1,000 entries); changes wait meanwhile.
   */
  async read(): Promise<StatusCounts> {
    const stored = await this.ctx.storage.get<StatusCounts>(COUNTS);
    if (stored) return stored;
    return this.ctx.blockConcurrencyWhile(async () => {
      const again = await this.ctx.storage.get<StatusCounts>(COUNTS);
      if (again) return again;
      const counts = Object.fromEntries(await Promise.all(STATUSES.map(async (status) => [status, await countIndex(objectEnv(this.env).PLAUDIT, status)]))) as StatusCounts;
      await this.ctx.storage.put(COUNTS, counts);
      return counts;
    });
  }
}

async function countIndex(kv: KVNamespace, status: Status): Promise<number> {
  let count = 0;
  for await (const keys of listPages(kv, commentKeys.queuePrefix(status))) count += keys.length;
  return count;
}

const countsOf = (env: Env) => env.COUNTS.get(env.COUNTS.idFromName("site"));

/**
 * Tell the site's counts what a writer's call changed. Best-effort: the change is saved either
 * way, and a count must never refuse a moderator's decision.
 */
export async function reportCountChange(env: Env, change: CountChange): Promise<void> {
  if (!env.COUNTS || isEmpty(change)) return;
  try {
    await countsOf(env).add(change);
  } catch (error) {
    console.error("The comment counts missed a change", change, error);
  }
}

export const readCounts = (env: Env): Promise<StatusCounts> => countsOf(env).read();
