import { withWriteTurns, writeGapMs } from "./coordination/turns";
import { attend, saveAttention, type AttentionReport } from "./cron/attend";
import { ATTENTION_KEY, attentionId, type Attention } from "./cron/attention";
import { threadRepairs } from "./cron/repairs";
import { JOB_KEY, sweepIsDue, type SweepJob } from "./cron/job";
import { emptySweepReport, sweep, type SweepReport } from "./cron/sweep";
import { isQuotaError } from "./http/errors";
import { budgetedKv, KV_OPERATIONS_PER_INVOCATION, OutOfBudget } from "./lib/kv";
import { SETTLE_MS } from "./lib/consistency";

/** Hot articles are recounted this often within each minute's run, for fresh counts under load. */
export const HOT_RECOUNT_INTERVAL_MS = 15_000;
/** Recounts of hot articles per run by default: at 0, 15, 30 and 45 s, done before the next run. */
export const HOT_RECOUNTS_PER_RUN = 4;
/** Operations the attention work may have used in a run whose sweep still has a whole run's budget. */
const SWEEP_SPLIT_SLACK = 50;
/** What saving the attention set costs (a write), with a margin: reserved from the attention work's budget. */
const SAVE_OPERATIONS = 2;
/** Operations this code allows itself per run, under the platform's 1,000. */
export const CRON_KV_BUDGET = KV_OPERATIONS_PER_INVOCATION - 50;

export interface CronOptions {
  /** How the run waits between hot recounts (tests and the simulator pass their own clock). */
  sleep?: (ms: number) => Promise<void>;
  budget?: number;
  /** Hot recounts per run (the HOT_RECOUNTS_PER_MINUTE var); 1 makes a run return at once. */
  hotRounds?: number;
}

export interface CronReport {
  attention: AttentionReport;
  sweep: SweepReport | null;
  kvOperations: number;
  /** KV is out of its daily quota: the run did nothing, and the next ones rest until midnight UTC. */
  resting?: true;
}

/** KV refused a write for the day's quota: say so once, and rest until midnight UTC. Saved progress is kept. */
function rest(day: number, report: CronReport, error: unknown): CronReport {
  restingDay = day;
  console.warn(`KV is out of today's quota (${error instanceof Error ? error.message : String(error)}): the cron rests until midnight UTC and goes on from its saved progress then.`);
  return { ...report, resting: true };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The UTC day on which KV refused this isolate's cron for the account's daily quota: nothing it
 * does can land before midnight UTC, so until then a run rests instead of failing every minute.
 */
let restingDay: number | null = null;

/**
 * Every minute: recount the articles that need it (one read when there are none), and run or
 * continue the periodic sweep that checks every aggregate and thread against its source keys.
 */
export async function runScheduled(controller: ScheduledController, env: Env, options: CronOptions = {}): Promise<CronReport> {
  const started = controller.scheduledTime;
  const day = Math.floor(started / DAY_MS);
  if (restingDay === day) return { attention: { ratingsRecounted: 0, threadsRebuilt: 0, hot: 0 }, sweep: null, kvOperations: 0, resting: true };
  // Through the coordinator: a recount's correction must agree with the article's running tally.
  const { kv, used, left } = budgetedKv(withWriteTurns(env.PLAUDIT, env.WRITE_SLOTS, writeGapMs(env)), options.budget ?? CRON_KV_BUDGET);
  const repair = threadRepairs(env, started);
  const sleep = options.sleep ?? realSleep;
  let state: Map<string, Attention | SweepJob | null>;
  try {
    state = await kv.get<Attention | SweepJob>([ATTENTION_KEY, JOB_KEY], "json");
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    return rest(day, { attention: { ratingsRecounted: 0, threadsRebuilt: 0, hot: 0 }, sweep: null, kvOperations: used() }, error);
  }
  const before = (state.get(ATTENTION_KEY) as Attention | null) ?? {};
  const job = (state.get(JOB_KEY) as SweepJob | null) ?? null;
  const report: CronReport = { attention: { ratingsRecounted: 0, threadsRebuilt: 0, hot: 0 }, sweep: null, kvOperations: 0 };

  let attention = before;
  let slept = 0;
  // The attention work stops short of the run's budget: saving what it got through is the write
  // that lets the next run go on from there instead of starting over.
  const attendKv = budgetedKv(kv, left() - SAVE_OPERATIONS).kv;
  try {
    const rounds = options.hotRounds ?? HOT_RECOUNTS_PER_RUN;
    for (let round = 0; round < rounds && Object.keys(attention).length > 0; round += 1) {
      if (round > 0) {
        await sleep(HOT_RECOUNT_INTERVAL_MS);
        slept += HOT_RECOUNT_INTERVAL_MS;
      }
      attention = await attend(attendKv, repair, attention, started + round * HOT_RECOUNT_INTERVAL_MS, report.attention, { hotOnly: round > 0 });
      if (report.attention.hot === 0) break;
    }
  } catch (error) {
    if (isQuotaError(error)) return rest(day, { ...report, kvOperations: used() }, error);
    if (!(error instanceof OutOfBudget)) console.error("Recounting hot articles failed", error);
  }

  const continuing = (job?.queue.length ?? 0) > 0;
  if (continuing || sweepIsDue(started, job)) {
    const now = started + slept;
    const queue = continuing ? job!.queue : [""];
    report.sweep = emptySweepReport();
    try {
      // The sweep stops short of the run's budget: saving where it got to (and the attention set)
      // are the writes that matter.
      const sweepKv = budgetedKv(kv, left() - 1 - SAVE_OPERATIONS).kv;
      // A prefix only counts as too big for a run when it had (nearly) a whole run to itself.
      const wholeRun = used() <= SWEEP_SPLIT_SLACK;
      const remaining = await sweep(sweepKv, repair, queue, now, report.sweep, { wholeRun });
      const big = remaining.length > 0 || continuing;
      const next: SweepJob = { queue: remaining, startedAt: continuing ? job!.startedAt : started, big, ...(remaining.length === 0 ? { finishedAt: now } : {}) };
      if (remaining.length > 0 || big !== (job?.big ?? false) || continuing) await kv.put(JOB_KEY, JSON.stringify(next));
    } catch (error) {
      if (isQuotaError(error)) return rest(day, { ...report, kvOperations: used() }, error);
      console.error("The sweep failed; it resumes next run", error);
    }
    // Threads the sweep found wrong but could not have repaired this run: the next runs do.
    for (const { a, article } of report.sweep.deferred) attention = { ...attention, [attentionId("thread", a)]: { kind: "thread", a, article, at: now - SETTLE_MS } };
  }
  await saveAttention(kv, before, attention).catch(() => {});
  report.kvOperations = used();
  console.log(JSON.stringify({ cron: controller.cron, ...report }));
  return report;
}
