/** A Worker invocation may make at most 1,000 KV operations (a bulk get of <= 100 keys is one). */
export const KV_OPERATIONS_PER_INVOCATION = 1000;

/**
 * Every key under a prefix a page at a time, following list() cursors (1000 keys a call). Loops
 * over big listings (recounts of much-voted articles) go through a page's keys synchronously: a
 * promise per key costs more CPU than the tally itself.
 */
export async function* listPages<M>(kv: KVNamespace, prefix: string): AsyncGenerator<KVNamespaceListKey<M, string>[]> {
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<M, string> = await kv.list<M>({ prefix, cursor });
    yield page.keys;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

/** Every key under a prefix, following list() cursors (1000 keys a call). */
export async function* listAll<M>(kv: KVNamespace, prefix: string): AsyncGenerator<KVNamespaceListKey<M, string>> {
  for await (const keys of listPages<M>(kv, prefix)) yield* keys;
}

/** JSON values of many keys with bulk gets of at most 100 keys each. Missing keys are absent. */
export async function getMany<T>(kv: KVNamespace, keys: string[]): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (let start = 0; start < keys.length; start += 100) {
    const batch = await kv.get<T>(keys.slice(start, start + 100), "json");
    for (const [key, value] of batch) if (value !== null) found.set(key, value);
  }
  return found;
}

/** Run `task` over items with at most `parallel` in flight (Workers allow 6 connections). */
export async function eachLimited<T>(items: T[], parallel: number, task: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await task(next);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
}

/** Thrown before an operation that would take an invocation past its own KV budget. */
export class OutOfBudget extends Error {
  constructor() {
    super("This invocation has used its KV operation budget; the rest waits for the next run.");
  }
}

const OPERATIONS = new Set(["get", "getWithMetadata", "put", "delete", "list"]);

/**
 * The KV binding, counting operations the way Cloudflare limits them and refusing to start one
 * past `limit`, so long-running work (the cron) stops cleanly and resumes instead of failing.
 */
export function budgetedKv(kv: KVNamespace, limit: number): { kv: KVNamespace; used: () => number; left: () => number } {
  let used = 0;
  const proxy = new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || !OPERATIONS.has(property) || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (used >= limit) throw new OutOfBudget();
        used += 1;
        return value.apply(target, args);
      };
    },
  });
  return { kv: proxy, used: () => used, left: () => limit - used };
}
