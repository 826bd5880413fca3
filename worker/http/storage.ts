import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { withWriteTurns, writeGapMs } from "../coordination/turns";
import { isQuotaError, StorageQuotaExceeded, StorageUnavailable } from "./errors";

const OPERATIONS = new Set(["get", "getWithMetadata", "put", "delete", "list"]);

/** The KV binding, with every failure turned into a 503 (`storage_quota_exceeded` or `storage_unavailable`), never a 500. */
export function guardedKv(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || !OPERATIONS.has(property) || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (cause) {
          throw isQuotaError(cause) ? new StorageQuotaExceeded(cause) : new StorageUnavailable(cause);
        }
      };
    },
  });
}

/**
 * Guard storage once, for every route: no handler can forget to, and code that deliberately
 * tolerates a failed write (a best-effort aggregate or thread refresh) still catches it.
 */
export const guardStorage = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  c.env = { ...c.env, PLAUDIT: guardedKv(withWriteTurns(c.env.PLAUDIT, c.env.WRITE_SLOTS, writeGapMs(c.env))) };
  await next();
};
