/** KV operations by kind, as Cloudflare bills them. */
export interface KvCounts {
  reads: number;
  writes: number;
  deletes: number;
  lists: number;
}

const KIND: Record<string, keyof KvCounts> = {
  get: "reads",
  getWithMetadata: "reads",
  put: "writes",
  delete: "deletes",
  list: "lists",
};

/** The real KV binding, wrapped so that every call is counted (a bulk get counts per key). */
export function countingKv(kv: KVNamespace): { kv: KVNamespace; counts: KvCounts; reset(): void } {
  const counts: KvCounts = { reads: 0, writes: 0, deletes: 0, lists: 0 };
  const proxy = new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      const kind = typeof property === "string" ? KIND[property] : undefined;
      if (!kind || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        counts[kind] += Array.isArray(args[0]) ? args[0].length : 1;
        return value.apply(target, args);
      };
    },
  });
  return {
    kv: proxy,
    counts,
    reset: () => Object.assign(counts, { reads: 0, writes: 0, deletes: 0, lists: 0 }),
  };
}

/**
 * The real KV binding, except that operation number `failAt` (1-based, counting every call) and,
 * with `failAll`, every one after it throws as a KV outage would.
 */
export function faultyKv(kv: KVNamespace, failAt: number, options: { failAll?: boolean } = {}) {
  let calls = 0;
  const state = { failures: 0, healed: false };
  const proxy = new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || !(property in KIND) || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        calls += 1;
        if (!state.healed && (calls === failAt || (options.failAll && calls > failAt))) {
          state.failures += 1;
          throw new Error(`KV ${property} failed: injected fault at operation ${calls}`);
        }
        return value.apply(target, args);
      };
    },
  });
  return { kv: proxy, state, calls: () => calls };
}

/** Every key, value and metadata in the namespace, as text: for "no raw IP stored" checks. */
export async function dumpKv(kv: KVNamespace): Promise<string[]> {
  const lines: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ cursor });
    for (const key of page.keys) {
      const { value, metadata } = await kv.getWithMetadata(key.name);
      lines.push(`${key.name}\t${value ?? ""}\t${JSON.stringify(metadata ?? null)}`);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return lines;
}

/**
 * The real KV binding, except that list() lags behind this binding's own writes the way
 * Cloudflare's eventually consistent lists can: a key written through it keeps its old metadata
 * in listings (or is missing, if it is new), while get() already sees the write.
 */
export function laggingListKv(kv: KVNamespace): KVNamespace {
  const before = new Map<string, unknown>();
  return new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "put") {
        return async (key: string, ...rest: unknown[]) => {
          if (!before.has(key)) before.set(key, (await target.getWithMetadata(key)).metadata ?? null);
          return (value as (...args: unknown[]) => unknown).apply(target, [key, ...rest]);
        };
      }
      if (property === "list") {
        return async (options?: KVNamespaceListOptions) => {
          const page = await target.list(options);
          const keys = page.keys.flatMap((key) => {
            if (!before.has(key.name)) return [key];
            const old = before.get(key.name);
            return old === null ? [] : [{ ...key, metadata: old }];
          });
          return { ...page, keys };
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
