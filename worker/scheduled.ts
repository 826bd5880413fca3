import { healThreads } from "./comments/heal";
import { RECENT_WINDOW_MS, recountRatings } from "./ratings/recount";

/** The daily cron in wrangler.toml; every other schedule recounts recently touched articles only. */
export const FULL_RECOUNT_CRON = "17 3 * * *";

export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = controller.scheduledTime;
  const since = controller.cron === FULL_RECOUNT_CRON ? undefined : now - RECENT_WINDOW_MS;
  const [ratings, threads] = await Promise.all([recountRatings(env.PLAUDIT, now, since), healThreads(env.PLAUDIT, now, since)]);
  console.log(JSON.stringify({ cron: controller.cron, ratings, threads }));
}
