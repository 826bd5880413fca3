import { env } from "cloudflare:workers";
import { ProductionKv, type InvocationOptions, type ProductionKvOptions } from "../../support/production-kv";

/**
 * Set PRODUCTION_KV=1 when running vitest to send every `call()` and `runCron()` of the worker
 * suites through ProductionKv (production's limits and consistency) instead of miniflare's bare KV.
 */
export const PRODUCTION_KV_BY_DEFAULT = (env as unknown as { PRODUCTION_KV?: string }).PRODUCTION_KV === "1";

/** A production-like KV over miniflare's namespace; time is Date.now, so fake timers move it. */
export function productionKv(options: Partial<ProductionKvOptions> = {}): ProductionKv {
  // "paid": a test file makes more than the Free plan's 1,000 writes a day; tests of quotas pass "free".
  return new ProductionKv({ clock: () => Date.now(), backing: env.PLAUDIT, plan: "paid", ...options });
}

let shared: ProductionKv | undefined;
/** The model the default switch uses, one per test file (its write times and lag carry over between tests). */
export function sharedProductionKv(): ProductionKv {
  return (shared ??= productionKv());
}

/** Env overrides for one invocation: a fresh binding, so its 1,000-operation budget is its own. */
export function productionEnv(kv: ProductionKv = sharedProductionKv(), options: InvocationOptions = {}): Partial<Env> {
  return { PLAUDIT: kv.binding(options) };
}
