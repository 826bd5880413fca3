import { ApiError } from "./errors";

/** The `period` of the write limiters in wrangler.toml (the binding only allows 10 or 60). */
export const WRITE_LIMIT_PERIOD_SECONDS = 60;
/** Minutes an hour in which a client may go past its steady rate before it must slow down. */
export const BUSY_MINUTES_PER_HOUR = 4;

const HOUR_MS = 60 * 60 * 1000;

/**
 * A client's KV-write allowance, counted in KV writes its requests make or cause. Readers write in
 * bursts (vote, change their mind, comment, fix a typo) and then nothing for hours; a hostile client
 * writes all hour. So a minute may hold a burst (WRITE_LIMITER), but past the steady rate
 * (STEADY_WRITE_LIMITER) it counts as a busy minute, and only a few busy minutes an hour are
 * allowed. The busy-minute count lives in KV, written once per busy minute (BUSY_MINUTE_LIMITER
 * says which request is the minute's first), so ordinary readers never cost an extra write.
 */
export interface WriteAllowance {
  burst: RateLimit;
  steady: RateLimit;
  busyMinute: RateLimit;
  kv: KVNamespace;
  /** The client network's privateId. */
  client: string;
  now: number;
}

const busyKey = (client: string, now: number) => `busy:${client}:${Math.floor(now / HOUR_MS)}`;

async function allowed(limiter: RateLimit, key: string): Promise<boolean> {
  try {
    return (await limiter.limit({ key })).success;
  } catch {
    // A limiter outage must not take writes down with it.
    return true;
  }
}

function tooFast(retryAfterSeconds: number): ApiError {
  return new ApiError(429, "rate_limited", "You are sending changes too quickly. Please wait a little and try again.", {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

/** Count this minute as busy, or refuse when the hour already had its share of busy minutes. */
async function spendBusyMinute(allowance: WriteAllowance): Promise<void> {
  const key = busyKey(allowance.client, allowance.now);
  let busy = 0;
  try {
    busy = Number(await allowance.kv.get(key)) || 0;
  } catch {
    return;
  }
  if (busy >= BUSY_MINUTES_PER_HOUR) throw tooFast(Math.ceil((HOUR_MS - (allowance.now % HOUR_MS)) / 1000));
  if (!(await allowed(allowance.busyMinute, allowance.client))) return;
  // Kept a little past the hour it counts, then KV forgets it.
  await allowance.kv.put(key, String(busy + 1), { expirationTtl: 2 * 60 * 60 }).catch(() => {});
}

/** Spend `writes` of the client's allowance; throws 429 rate_limited (with Retry-After) past it. */
export async function chargeWrites(allowance: WriteAllowance, writes: number): Promise<void> {
  let busy = false;
  for (let spent = 0; spent < writes; spent += 1) {
    if (!(await allowed(allowance.burst, allowance.client))) throw tooFast(WRITE_LIMIT_PERIOD_SECONDS);
    if (!(await allowed(allowance.steady, allowance.client))) busy = true;
  }
  if (busy) await spendBusyMinute(allowance);
}
