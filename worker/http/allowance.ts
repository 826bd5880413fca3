import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { WriteAllowance } from "./limits";

/** The write allowance of the client behind this request (its network's privateId). */
export function writeAllowance(c: Context<AppEnv>, client: string): WriteAllowance {
  return {
    burst: c.env.WRITE_LIMITER,
    steady: c.env.STEADY_WRITE_LIMITER,
    busyMinute: c.env.BUSY_MINUTE_LIMITER,
    kv: c.env.PLAUDIT,
    client,
    now: Date.now(),
  };
}
