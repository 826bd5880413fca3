import { DurableObject } from "cloudflare:workers";
import { objectEnv } from "../writer/object-env";
import { STATUSES, type Status } from "./model";

export type StatusCounts = Record<Status, number>;
/** Entries gained (+) or lost (−) in each status's moderation queue by some changes. */
export type CountChange = Partial<StatusCounts>;

const COUNTS = "counts";

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
      const { countIndex } = await import("./count-changes");
      const counts = Object.fromEntries(await Promise.all(STATUSES.map(async (status) => [status, await countIndex(objectEnv(this.env).PLAUDIT, status)]))) as StatusCounts;
      await this.ctx.storage.put(COUNTS, counts);
      return counts;
    });
  }
}


/** The one object of the site. */
export const COUNTS_NAME = "site";
const countsOf = (env: Env) => env.COUNTS.get(env.COUNTS.idFromName(COUNTS_NAME));

export const readCounts = (env: Env): Promise<StatusCounts> => countsOf(env).read();
