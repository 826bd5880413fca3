import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { clientId } from "./client";
import { ApiError } from "./errors";

/** The `period` of the read limiters in wrangler.toml (the binding only allows 10 or 60). */
export const READ_LIMIT_PERIOD_SECONDS = 60;
/** Ids of a batch one read unit pays for: 10 articles' aggregates and thread heads, 20 KV reads. */
export const IDS_PER_READ_UNIT = 10;

/**
 * Clients this isolate refused, until their minute is over. An empty article is known to be
 * empty only once read: remembering who was refused lets their next such view be refused before
 * it spends any read. Memory only, keyed by the client's HMAC, never stored.
 */
const refusedUntil = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

function tooManyReads(): ApiError {
  return new ApiError(429, "rate_limited", "Too many requests from your network. Please wait a minute and try again.", {
    headers: { "Retry-After": String(READ_LIMIT_PERIOD_SECONDS) },
  });
}

/** The HMAC of the client's network, or null without HASH_SECRET (then reads are not limited). */
async function readerId(c: Context<AppEnv>): Promise<string | null> {
  const secret = c.var.settings.hashSecret;
  return secret ? clientId(secret, c.req.raw) : null;
}

/** Refuse, before any read, a client this isolate refused within the last minute. */
export async function refuseIfRecentlyRefused(c: Context<AppEnv>, now = Date.now()): Promise<void> {
  // An ordinary page view finds nobody remembered and computes nothing.
  if (refusedUntil.size === 0) return;
  const client = await readerId(c);
  const until = client === null ? undefined : refusedUntil.get(client);
  if (until === undefined) return;
  if (until > now) throw tooManyReads();
  refusedUntil.delete(client!);
}

/**
 * Spend `units` of the client's allowance on `limiter` (READ_LIMITER: batches, comment pages;
 * EMPTY_VIEW_LIMITER: views of articles with nothing yet); 429 rate_limited with Retry-After past it.
 */
export async function chargeReads(c: Context<AppEnv>, limiter: RateLimit | undefined, units: number, now = Date.now()): Promise<void> {
  if (!limiter || units <= 0) return;
  const client = await readerId(c);
  if (client === null) return;
  for (let spent = 0; spent < units; spent += 1) {
    let allowed = true;
    try {
      allowed = (await limiter.limit({ key: client })).success;
    } catch {
      // A limiter outage must not take page views down with it.
      return;
    }
    if (!allowed) {
      if (refusedUntil.size >= MAX_REMEMBERED) refusedUntil.clear();
      refusedUntil.set(client, now + READ_LIMIT_PERIOD_SECONDS * 1000);
      throw tooManyReads();
    }
  }
}

/** For tests: forget whom this isolate refused. */
export function forgetRefusedReaders(): void {
  refusedUntil.clear();
}
