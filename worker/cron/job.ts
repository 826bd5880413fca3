/**
 * The periodic sweep's progress, in one key that is written only while a sweep spans several
 * runs (big sites) or when the site changes size class: a small site's cron writes nothing.
 */
export const JOB_KEY = "cron:job";

export interface SweepJob {
  /** Id prefixes still to check; empty when no sweep is running. */
  queue: string[];
  startedAt: number;
  /** The last sweep needed more than one run: sweep daily instead of every few hours. */
  big: boolean;
  /** When the last sweep that spanned several runs finished. */
  finishedAt?: number;
}

/** Small sites are swept every this many hours (on the hour), big ones once a day. */
export const SMALL_SITE_SWEEP_HOURS = 3;
/** When big sites start their daily sweep (UTC), away from the top of the hour. */
export const DAILY_SWEEP = { hour: 3, minute: 17 } as const;

export function sweepIsDue(now: number, job: SweepJob | null): boolean {
  const time = new Date(now);
  const [hour, minute] = [time.getUTCHours(), time.getUTCMinutes()];
  if (job?.big) return hour === DAILY_SWEEP.hour && minute === DAILY_SWEEP.minute;
  return minute === 0 && hour % SMALL_SITE_SWEEP_HOURS === 0;
}
