import { ApiError } from "./errors";

/** Matches the `period` of WRITE_LIMITER in wrangler.toml (the binding only allows 10 or 60). */
export const WRITE_LIMIT_PERIOD_SECONDS = 60;

/**
 * Spend `writes` of the client's KV-write allowance (WRITE_LIMITER: one unit per KV write a request
 * makes or causes). The Free plan has 1,000 writes a day for the whole site, so the allowance is
 * what keeps one client from spending everybody's.
 */
export async function chargeWrites(limiter: RateLimit, client: string, writes: number): Promise<void> {
  for (let spent = 0; spent < writes; spent += 1) {
    let outcome: RateLimitOutcome;
    try {
      outcome = await limiter.limit({ key: client });
    } catch {
      // A limiter outage must not take writes down with it.
      return;
    }
    if (!outcome.success) {
      throw new ApiError(429, "rate_limited", "You are sending changes too quickly. Please wait a minute and try again.", {
        headers: { "Retry-After": String(WRITE_LIMIT_PERIOD_SECONDS) },
      });
    }
  }
}
