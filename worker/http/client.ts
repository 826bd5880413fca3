import { ApiError } from "./errors";
import { privateId } from "../lib/hash";

/** Cloudflare sets this header on every request at the edge; clients cannot forge it there. */
export function clientIp(request: Request): string {
  return request.headers.get("CF-Connecting-IP")?.trim() || "unknown";
}

export function requireHashSecret(secret: string | undefined): string {
  if (!secret) {
    throw new ApiError(503, "not_configured", "This server has no HASH_SECRET set, so it cannot accept writes yet.");
  }
  return secret;
}

/** The HMAC of the client IP: what rate limits and caps key on, and all that is ever stored. */
export function clientId(secret: string, request: Request): Promise<string> {
  return privateId(secret, "ip", clientIp(request));
}

/** Apply a Workers Rate Limiting binding; `periodSeconds` mirrors its `period` for Retry-After. */
export async function enforceRateLimit(limiter: RateLimit, key: string, periodSeconds: number, what: string): Promise<void> {
  let outcome: RateLimitOutcome;
  try {
    outcome = await limiter.limit({ key });
  } catch {
    // A limiter outage must not take writes down with it: the per-IP caps still apply.
    return;
  }
  if (!outcome.success) {
    throw new ApiError(429, "rate_limited", `Too many ${what} from your network. Please wait a minute and try again.`, {
      headers: { "Retry-After": String(periodSeconds) },
    });
  }
}
