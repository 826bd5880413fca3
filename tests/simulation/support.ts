import { readWorkerConfig } from "../../bench/sim/config";
import { installFastCrypto } from "../../bench/sim/fast-crypto";
import type { ProfileName } from "../../bench/sim/profiles";
import { simulateProfile, type ProfileResult } from "../../bench/sim/simulate";

const results = new Map<ProfileName, Promise<ProfileResult>>();

/** The --fast variant of a profile on the Free plan, simulated once per test file. */
export function fastRun(name: ProfileName): Promise<ProfileResult> {
  let result = results.get(name);
  if (!result) {
    result = (async () => {
      const config = await readWorkerConfig("wrangler.toml");
      const restore = installFastCrypto();
      try {
        return await simulateProfile(name, config, { fast: true, plan: "free", slotMs: 100 });
      } finally {
        restore();
      }
    })();
    results.set(name, result);
  }
  return result;
}

export const quotaPercents = (r: ProfileResult) => Object.values(r.percentOfFreeQuota);
