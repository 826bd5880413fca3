import { env } from "cloudflare:workers";
import { ProductionKv, type InvocationOptions, type ProductionKvOptions } from "../../support/production-kv";

/**
 * The worker-production test project (vitest.config.ts) sets the PRODUCTION_KV binding to send every
 * `call()` and `runCron()` of the worker suites through ProductionKv (production's limits and
 * consistency) instead of miniflare's bare KV.
 */
export const PRODUCTION_KV_BY_DEFAULT = (env as unknown as { PRODUCTION_KV?: string }).PRODUCTION_KV === "1";

/** A production-like KV over miniflare's namespace; time is Date.now, so fake timers move it. */
export function productionKv(options: Partial<ProductionKvOptions> = {}): ProductionKv {
  // "paid": a test file makes more than the Free plan's 1,000 writes a day; tests of quotas pass "free".
  return new ProductionKv({ clock: () => Date.now(), backing: env.PLAUDIT, plan: "paid", ...options });
}

/**
 * The shared model's time: Date.now (so fake timers move it), plus the minutes a cron run skipped
 * ahead (runCron runs the cron "two minutes later", when lists have settled). It never goes back,
 * as real time does not: a test that returns from fake time leaves the model where it was.
 */
function forwardClock() {
  let skew = 0;
  let last = -Infinity;
  const now = () => {
    const at = Date.now() + skew;
    if (at < last) skew += last - at;
    return (last = Math.max(at, last));
  };
  return { now, skip: (ms: number) => void (skew += Math.max(0, ms)) };
}

let shared: { kv: ProductionKv; clock: ReturnType<typeof forwardClock> } | undefined;
function sharedModel() {
  if (!shared) {
    const clock = forwardClock();
    shared = { kv: productionKv({ clock: clock.now }), clock };
  }
  return shared;
}

/** The model the default switch uses, one per test file (its write times and lag carry over between tests). */
export function sharedProductionKv(): ProductionKv {
  return sharedModel().kv;
}

/** Move the shared model's time `ms` on (a cron run minutes later), or as far as it keeps lists lagging. */
export function skipSharedKv(ms: number): void {
  sharedModel().clock.skip(ms);
}

/** Env overrides for one invocation: a fresh binding, so its 1,000-operation budget is its own. */
export function productionEnv(kv: ProductionKv = sharedProductionKv(), options: InvocationOptions = {}): Partial<Env> {
  return { PLAUDIT: kv.binding(options) };
}

/**
 * Miniflare's binding, for fixtures a test writes as if long ago (a thread in an older layout):
 * under PRODUCTION_KV=1 the shared model forgets its cached copies of every key written this way.
 */
export function fixtureKv(): KVNamespace {
  const kv = env.PLAUDIT;
  if (!PRODUCTION_KV_BY_DEFAULT) return kv;
  const forget = (key: string) => sharedProductionKv().forget(key);
  return {
    ...kv,
    get: kv.get.bind(kv),
    getWithMetadata: kv.getWithMetadata.bind(kv),
    list: kv.list.bind(kv),
    put: async (key: string, ...rest: [never, never?]) => {
      await kv.put(key, ...rest);
      forget(key);
    },
    delete: async (key: string) => {
      await kv.delete(key);
      forget(key);
    },
  } as KVNamespace;
}

/** The KV binding a call uses by default: miniflare's, or (PRODUCTION_KV=1) the shared model's. */
export function defaultBinding(label = "request"): KVNamespace {
  return PRODUCTION_KV_BY_DEFAULT ? sharedProductionKv().binding({ label }) : env.PLAUDIT;
}
