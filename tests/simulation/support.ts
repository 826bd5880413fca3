import { readWorkerConfig } from "../../bench/sim/config";
import { installFastCrypto } from "../../bench/sim/fast-crypto";
import { installFastResponse } from "../../bench/sim/fast-response";
import type { ProfileName } from "../../bench/sim/profiles";
import { simulateProfile, type ProfileResult } from "../../bench/sim/simulate";

const results = new Map<ProfileName, Promise<ProfileResult>>();

/**
 * A viral burst (12,000 votes in 10 minutes) and a 20,000-article site need more than the Free
 * plan's 1,000 writes a day by construction: they are judged on the Paid plan.
 */
export const PAID_PROFILES: readonly ProfileName[] = ["viral", "big-site"];

/** The --fast variant of a profile (Free plan, or Paid for PAID_PROFILES), simulated once per test file. */
export function fastRun(name: ProfileName): Promise<ProfileResult> {
  let result = results.get(name);
  if (!result) {
    result = (async () => {
      const config = await readWorkerConfig("wrangler.toml");
      const restore = installFastCrypto();
      const restoreResponse = installFastResponse();
      try {
        return await simulateProfile(name, config, { fast: true, plan: PAID_PROFILES.includes(name) ? "paid" : "free", slotMs: 100 });
      } finally {
        restoreResponse();
        restore();
      }
    })();
    results.set(name, result);
  }
  return result;
}

export const quotaPercents = (r: ProfileResult) => Object.values(r.percentOfFreeQuota);
