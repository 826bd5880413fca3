import { writerOf } from "../writer/client";

/**
 * A cron run asks at most this many articles' writers for a repair: each is a request to a Durable
 * Object, and an invocation on the Free plan makes at most 50 subrequests. The rest wait a run.
 */
export const REPAIRS_PER_RUN = 40;

/** "later": the writer changed the thread too lately for a listing to show it, or this run has asked enough. */
export type RepairResult = "rebuilt" | "unchanged" | "later";

export type RepairThread = (a: string, article: string) => Promise<RepairResult>;

/** Thread repairs through each article's writer, the only one that writes its thread. */
export function threadRepairs(env: Env, asOf: number, limit = REPAIRS_PER_RUN): RepairThread {
  let asked = 0;
  return async (a, article) => {
    if (asked >= limit) return "later";
    asked += 1;
    try {
      const outcome = await writerOf(env, { a, article }).repairThread({ a, article }, asOf);
      if ("refused" in outcome || outcome.ok.busy) return "later";
      return outcome.ok.rebuilt ? "rebuilt" : "unchanged";
    } catch (error) {
      console.warn(`Could not ask the writer of ${article} for a repair; trying again later`, error);
      return "later";
    }
  };
}
