/**
 * A Workers KV that behaves like production's, for tests and the simulator: Cloudflare's documented
 * limits (developers.cloudflare.com/kv/platform/limits), failing with production's messages (see
 * kv-model/errors.ts), and its eventual consistency (list() and other locations see a write up to
 * 60 s late). Pure TypeScript: runs in workerd (worker tests) and in Node (the simulator).
 *
 * One `ProductionKv` is the central store; `binding()` / `invocation()` hand out a KVNamespace for
 * one Worker invocation (a request or a cron run) at one Cloudflare location.
 */
import { BackingStore } from "./kv-model/backing-store";
import {
  dailyQuotaError,
  invocationLimitError,
  kvHttpError,
  perKeyWriteRateError,
  type KvOperation,
} from "./kv-model/errors";
import { isExpired, SortedStore, type ListView, type StoredEntry, type StorePage } from "./kv-model/sorted-store";
import { StatsBook, zeroCounts, type KvCounts, type KvKind, type KvStats } from "./kv-model/stats";

export { isKvLimitError } from "./kv-model/errors";
export { subtractCounts, type KvCounts, type KvStats } from "./kv-model/stats";

export type Plan = "free" | "paid" | "unlimited";

export interface ProductionKvOptions {
  /** Epoch ms; the model's only notion of time. */
  clock: () => number;
  /** A real binding to keep the data in (worker tests); in memory when absent (the simulator). */
  backing?: KVNamespace;
  /**
   * "free": the Free plan's daily quotas apply. "paid": no daily quotas. "unlimited": no quotas,
   * and neither the per-key write rate nor the per-invocation limit (a reference model).
   */
  plan?: Plan;
  /** How long list() keeps showing a key's previous state after a write. */
  listLagMs?: number;
  /** How long a location serves its cached copy when get() is given no cacheTtl. */
  readCacheMs?: number;
}

export interface InvocationOptions {
  /** A Cloudflare location; reads are cached per location. */
  location?: string;
  /** What ran (a route or a cron), for the per-invocation statistics. */
  label?: string;
}

/** One Worker invocation's view of KV and what it cost. */
export interface Invocation {
  readonly kv: KVNamespace;
  readonly label: string;
  readonly location: string;
  /** Operations attempted so far, refused ones included. */
  readonly ops: number;
  /** Operations billed to this invocation. */
  readonly billed: KvCounts;
  /** Records the invocation's final operation count in the statistics (once). */
  end(): void;
}

/** The Free plan's daily quotas (developers.cloudflare.com/kv/platform/pricing). */
export const FREE_DAILY_QUOTA: KvCounts = { reads: 100_000, writes: 1_000, deletes: 1_000, lists: 1_000 };
export const OPS_PER_INVOCATION = 1_000;
export const MAX_BULK_KEYS = 100;
export const MAX_KEY_BYTES = 512;
export const MAX_METADATA_BYTES = 1_024;
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;
export const MAX_LIST_LIMIT = 1_000;
export const MIN_CACHE_TTL_SECONDS = 30;
export const MIN_EXPIRATION_TTL_SECONDS = 60;
const WRITE_INTERVAL_MS = 1_000;

type GetType = "text" | "json" | "arrayBuffer" | "stream";
type GetOptions = GetType | { type?: GetType; cacheTtl?: number } | undefined;

interface CachedRead {
  entry: StoredEntry | null;
  until: number;
}

/** A key's list-visible history while writes to it are younger than the list lag. */
interface LagRecord {
  /** What list() shows until the first pending write settles (null: key absent). */
  base: ListView | null;
  pending: { at: number; view: ListView | null }[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function utf8Length(text: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: skip encoding strings that cannot be too long.
  return text.length * 3 <= MAX_VALUE_BYTES ? Math.min(text.length * 3, encoder.encode(text).length) : encoder.encode(text).length;
}

function encodeCursor(key: string): string {
  let binary = "";
  for (const byte of encoder.encode(key)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function decodeCursor(cursor: string): string {
  try {
    return decoder.decode(Uint8Array.from(atob(cursor), (c) => c.charCodeAt(0)));
  } catch {
    throw kvHttpError("GET", 400, "Invalid cursor.");
  }
}

function validateKey(operation: KvOperation, key: string): void {
  if (typeof key !== "string" || key === "") throw new TypeError("Key name cannot be empty.");
  if (key === "." || key === "..") throw kvHttpError(operation, 400, `Illegal key name "${key}". Please use a different name.`);
  // A UTF-16 unit is at most 3 UTF-8 bytes: most keys cannot be too long, so skip encoding them.
  const bytes = key.length * 3 <= MAX_KEY_BYTES ? key.length : encoder.encode(key).length;
  if (bytes > MAX_KEY_BYTES) throw kvHttpError(operation, 414, `UTF-8 encoded length of ${bytes} exceeds key length limit of ${MAX_KEY_BYTES}.`);
}

function parseGetOptions(options: GetOptions): { type: GetType; cacheTtl?: number } {
  if (options === undefined) return { type: "text" };
  if (typeof options === "string") return { type: options };
  return { type: options.type ?? "text", cacheTtl: options.cacheTtl };
}

function viewOf(key: string, entry: StoredEntry | null): ListView | null {
  return entry ? { name: key, metaJson: entry.metaJson, expiration: entry.expiration } : null;
}

function decodeValue(entry: StoredEntry, type: GetType): unknown {
  const { value } = entry;
  const text = () => (typeof value === "string" ? value : decoder.decode(value));
  const bytes = () => (typeof value === "string" ? encoder.encode(value) : value.slice());
  switch (type) {
    case "text":
      return text();
    case "json":
      return JSON.parse(text());
    case "arrayBuffer":
      return bytes().buffer;
    case "stream":
      return new Response(bytes()).body;
  }
}

async function valueBytes(value: unknown): Promise<string | Uint8Array> {
  if (typeof value === "string") return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (value instanceof ReadableStream) return new Uint8Array(await new Response(value).arrayBuffer());
  throw new TypeError("KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.");
}

/** On every binding a model hands out: which model (which site) it belongs to. */
const MODEL = Symbol("ProductionKv model");

/** The model a binding (or a proxy of one) was handed out by, if any. */
export function modelOf(kv: KVNamespace): ProductionKv | undefined {
  return (kv as KVNamespace & { [MODEL]?: ProductionKv })[MODEL];
}

export class ProductionKv {
  readonly plan: Plan;
  private readonly clock: () => number;
  private readonly listLagMs: number;
  private readonly readCacheMs: number;
  private readonly memory: SortedStore | undefined;
  private readonly store: SortedStore | BackingStore;
  private readonly book = new StatsBook();
  private readonly caches = new Map<string, Map<string, CachedRead>>();
  private readonly lastWrite = new Map<string, number>();
  private readonly lag = new Map<string, LagRecord>();
  private readonly open = new Set<{ label: string; ops: number }>();
  private writesSincePrune = 0;

  constructor(options: ProductionKvOptions) {
    this.clock = options.clock;
    this.plan = options.plan ?? "free";
    this.listLagMs = options.listLagMs ?? 60_000;
    this.readCacheMs = options.readCacheMs ?? 60_000;
    this.memory = options.backing ? undefined : new SortedStore();
    this.store = options.backing ? new BackingStore(options.backing) : this.memory!;
  }

  /** Keeps its data in memory: a site of its own, not a view of the worker suites' namespace. */
  get ownsData(): boolean {
    return this.memory !== undefined;
  }

  /** A KVNamespace for one invocation at one location. */
  binding(options: InvocationOptions = {}): KVNamespace {
    return this.invocation(options).kv;
  }

  invocation({ location = "here", label = "invocation" }: InvocationOptions = {}): Invocation {
    const state = { label, ops: 0, ended: false, billed: zeroCounts() };
    this.open.add(state);
    const count = () => {
      state.ops += 1;
      if (this.plan !== "unlimited" && state.ops > OPS_PER_INVOCATION) {
        this.book.invocationLimit += 1;
        throw invocationLimitError();
      }
    };
    const bill = (kind: KvKind, n: number, admit?: () => void) => {
      this.charge(kind, n, admit);
      state.billed[kind] += n;
    };
    const ctx: OpContext = { location, count, bill };
    const kv = {
      get: (key: string | string[], options?: GetOptions) => this.get(ctx, key, options, false),
      getWithMetadata: (key: string | string[], options?: GetOptions) => this.get(ctx, key, options, true),
      put: (key: string, value: unknown, options?: KVNamespacePutOptions) => this.put(ctx, key, value, options),
      delete: (key: string) => this.delete(ctx, key),
      list: (options?: KVNamespaceListOptions) => this.list(ctx, options),
      [MODEL]: this,
    } as unknown as KVNamespace;
    const end = () => {
      if (state.ended) return;
      state.ended = true;
      this.open.delete(state);
      this.book.recordInvocation(label, state.ops);
    };
    return {
      kv,
      label,
      location,
      get ops() {
        return state.ops;
      },
      billed: state.billed,
      end,
    };
  }

  /** Billing and limit counters; invocations not ended yet are included as they stand. */
  stats(): KvStats {
    return this.book.snapshot(this.open);
  }

  /**
   * Write straight into the central store, as if long ago: not billed, no limits, visible to every
   * location and to list() at once. For seeding the simulator's millions of keys (in memory only).
   */
  seed(key: string, value: string, options: { metadata?: unknown; expiration?: number } = {}): void {
    if (!this.memory) throw new Error("seed() writes to the in-memory store only; write to the backing binding directly instead.");
    const metaJson = options.metadata === undefined ? undefined : JSON.stringify(options.metadata);
    this.memory.load(key, this.internSmall({ value, metaJson, expiration: options.expiration }));
  }

  /**
   * Forget all the model holds of `key` besides the central store (cached copies, list lag, last
   * write): for a test that wrote the backing binding directly, as if long ago.
   */
  forget(key: string): void {
    for (const cache of this.caches.values()) cache.delete(key);
    this.lag.delete(key);
    this.lastWrite.delete(key);
  }

  private readonly interned = new Map<string, StoredEntry>();
  /** Entries are never mutated, so millions of equal small ones (votes) can share one object. */
  private internSmall(entry: StoredEntry): StoredEntry {
    if (typeof entry.value !== "string" || entry.value.length > 32 || (entry.metaJson?.length ?? 0) > 64) return entry;
    const id = `${entry.value}\u0000${entry.metaJson ?? ""}\u0000${entry.expiration ?? ""}`;
    const known = this.interned.get(id);
    if (known) return known;
    if (this.interned.size < 100_000) this.interned.set(id, entry);
    return entry;
  }

  /** Number of keys held in memory (deleted ones until the index is next compacted). */
  get size(): number {
    return this.memory?.size ?? 0;
  }

  /** Bill an operation, unless the day's quota refuses it or `admit` (a further limit) throws. */
  private charge(kind: KvKind, n: number, admit?: () => void): void {
    const now = this.clock();
    if (this.plan === "free" && this.book.today(now)[kind] + n > FREE_DAILY_QUOTA[kind]) {
      this.book.refusedQuota[kind] += n;
      throw dailyQuotaError(kind);
    }
    admit?.();
    this.book.bill(now, kind, n);
  }

  private cacheOf(location: string): Map<string, CachedRead> {
    let cache = this.caches.get(location);
    if (!cache) this.caches.set(location, (cache = new Map()));
    return cache;
  }

  /** A location's copy of a key: its cached one while fresh, else central's (then cached). */
  private async readAt(location: string, key: string, ttlMs: number, now: number): Promise<StoredEntry | null> {
    const cache = this.cacheOf(location);
    const cached = cache.get(key);
    let entry: StoredEntry | null;
    if (cached && cached.until > now) entry = cached.entry;
    else {
      entry = await this.store.read(key);
      if (cache.size > 500_000) this.pruneCache(cache, now);
      cache.set(key, { entry, until: now + ttlMs });
    }
    return entry && !isExpired(entry, now) ? entry : null;
  }

  private pruneCache(cache: Map<string, CachedRead>, now: number): void {
    for (const [key, cached] of cache) if (cached.until <= now) cache.delete(key);
  }

  private async get(ctx: OpContext, key: string | string[], options: GetOptions, withMetadata: boolean): Promise<unknown> {
    ctx.count();
    const { type, cacheTtl } = parseGetOptions(options);
    const bulk = Array.isArray(key);
    const operation: KvOperation = bulk ? "GET_BULK" : "GET";
    if (cacheTtl !== undefined && (Number.isNaN(cacheTtl) || cacheTtl < MIN_CACHE_TTL_SECONDS)) {
      throw kvHttpError(operation, 400, `Invalid cache_ttl of ${cacheTtl}. Cache TTL must be at least ${MIN_CACHE_TTL_SECONDS}.`);
    }
    const ttlMs = cacheTtl === undefined ? this.readCacheMs : cacheTtl * 1000;
    const now = this.clock();
    const result = (entry: StoredEntry | null, absent: unknown) => {
      if (!withMetadata) return entry ? decodeValue(entry, type) : null;
      if (!entry) return absent;
      return { value: decodeValue(entry, type), metadata: entry.metaJson === undefined ? null : JSON.parse(entry.metaJson), ...(bulk ? {} : { cacheStatus: null }) };
    };
    if (!bulk) {
      validateKey(operation, key);
      ctx.bill("reads", 1);
      return result(await this.readAt(ctx.location, key, ttlMs, now), { value: null, metadata: null, cacheStatus: null });
    }
    if (key.length > MAX_BULK_KEYS) throw kvHttpError(operation, 400, `You can request a maximum of ${MAX_BULK_KEYS} keys`);
    if (key.length < 1) throw kvHttpError(operation, 400, "You must request a minimum of 1 key");
    if (type !== "text" && type !== "json") throw kvHttpError(operation, 400, `"${type}" is not a valid type. Use "json" or "text"`);
    for (const name of key) validateKey(operation, name);
    // Cloudflare bills a bulk get as one read per key, though it is one operation of the invocation.
    ctx.bill("reads", key.length);
    const found = new Map<string, unknown>();
    for (const name of key) found.set(name, result(await this.readAt(ctx.location, name, ttlMs, now), null));
    return found;
  }

  private async put(ctx: OpContext, key: string, value: unknown, options: KVNamespacePutOptions = {}): Promise<void> {
    ctx.count();
    validateKey("PUT", key);
    const now = this.clock();
    const nowSeconds = Math.floor(now / 1000);
    let expiration: number | undefined;
    if (options.expirationTtl !== undefined && options.expirationTtl !== null) {
      const ttl = Number(options.expirationTtl);
      if (!Number.isFinite(ttl) || ttl <= 0) throw kvHttpError("PUT", 400, `Invalid expiration_ttl of ${options.expirationTtl}. Please specify integer greater than 0.`);
      if (ttl < MIN_EXPIRATION_TTL_SECONDS) throw kvHttpError("PUT", 400, `Invalid expiration_ttl of ${options.expirationTtl}. Expiration TTL must be at least ${MIN_EXPIRATION_TTL_SECONDS}.`);
      expiration = nowSeconds + Math.floor(ttl);
    } else if (options.expiration !== undefined && options.expiration !== null) {
      const at = Math.floor(Number(options.expiration));
      if (!Number.isFinite(at) || at <= nowSeconds) {
        throw kvHttpError("PUT", 400, `Invalid expiration of ${options.expiration}. Please specify integer greater than the current number of seconds since the UNIX epoch.`);
      }
      if (at < nowSeconds + MIN_EXPIRATION_TTL_SECONDS) {
        throw kvHttpError("PUT", 400, `Invalid expiration of ${options.expiration}. Expiration times must be at least ${MIN_EXPIRATION_TTL_SECONDS} seconds in the future.`);
      }
      expiration = at;
    }
    let metaJson: string | undefined;
    if (options.metadata !== undefined && options.metadata !== null) {
      metaJson = JSON.stringify(options.metadata);
      const bytes = encoder.encode(metaJson).length;
      if (bytes > MAX_METADATA_BYTES) throw kvHttpError("PUT", 413, `Metadata length of ${bytes} exceeds limit of ${MAX_METADATA_BYTES}.`);
    }
    const stored = await valueBytes(value);
    const bytes = typeof stored === "string" ? utf8Length(stored) : stored.byteLength;
    if (bytes > MAX_VALUE_BYTES) throw kvHttpError("PUT", 413, `Value length of ${bytes} exceeds limit of ${MAX_VALUE_BYTES}.`);
    const entry: StoredEntry = { value: stored, ...(metaJson === undefined ? {} : { metaJson }), ...(expiration === undefined ? {} : { expiration }) };
    ctx.bill("writes", 1, () => this.admitWrite("PUT", key, this.clock()));
    if (bytes > this.book.largestValue.bytes) this.book.largestValue = { bytes, key };
    await this.applyWrite(ctx.location, key, entry);
  }

  private async delete(ctx: OpContext, key: string): Promise<void> {
    ctx.count();
    validateKey("DELETE", key);
    ctx.bill("deletes", 1, () => this.admitWrite("DELETE", key, this.clock()));
    await this.applyWrite(ctx.location, key, null);
  }

  /** The per-key write rate; synchronous, so writes racing at the same instant see each other. */
  private admitWrite(operation: "PUT" | "DELETE", key: string, now: number): void {
    if (this.plan === "unlimited") return;
    const last = this.lastWrite.get(key);
    if (last !== undefined && now - last < WRITE_INTERVAL_MS) {
      this.book.refuseWrite(key);
      throw perKeyWriteRateError(operation);
    }
    this.lastWrite.set(key, now);
  }

  private async applyWrite(location: string, key: string, entry: StoredEntry | null): Promise<void> {
    const now = this.clock();
    this.cacheOf(location).set(key, { entry, until: now + this.readCacheMs });
    if (this.listLagMs > 0) {
      const record = this.settledLag(key, now);
      if (record) record.pending.push({ at: now, view: viewOf(key, entry) });
      else {
        // Claim the record before awaiting, so a racing write to the same key extends it.
        const fresh: LagRecord = { base: null, pending: [{ at: now, view: viewOf(key, entry) }] };
        this.lag.set(key, fresh);
        const before = this.memory ? this.memory.read(key) : await this.store.read(key);
        fresh.base = viewOf(key, before);
      }
    }
    if (++this.writesSincePrune >= 4096) this.pruneBookkeeping(now);
    if (entry) await this.store.write(key, entry);
    else await this.store.remove(key);
  }

  /** The key's lag record with settled writes folded into its base; undefined once all settled. */
  private settledLag(key: string, now: number): LagRecord | undefined {
    const record = this.lag.get(key);
    if (!record) return undefined;
    while (record.pending.length > 0 && record.pending[0]!.at + this.listLagMs <= now) record.base = record.pending.shift()!.view;
    if (record.pending.length > 0) return record;
    this.lag.delete(key);
    return undefined;
  }

  private pruneBookkeeping(now: number): void {
    this.writesSincePrune = 0;
    for (const [key, at] of this.lastWrite) if (now - at >= WRITE_INTERVAL_MS) this.lastWrite.delete(key);
    for (const key of [...this.lag.keys()]) this.settledLag(key, now);
  }

  private async list(ctx: OpContext, options: KVNamespaceListOptions = {}): Promise<KVNamespaceListResult<unknown>> {
    ctx.count();
    const prefix = options.prefix ?? "";
    const limit = options.limit ?? MAX_LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw kvHttpError("GET", 400, `Invalid key_count_limit of ${limit}. Please specify an integer greater than 0.`);
    if (limit > MAX_LIST_LIMIT) throw kvHttpError("GET", 400, `Invalid key_count_limit of ${limit}. Please specify an integer less than ${MAX_LIST_LIMIT}.`);
    if (prefix && prefix.length * 3 > MAX_KEY_BYTES && encoder.encode(prefix).length > MAX_KEY_BYTES) validateKey("GET", prefix);
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    ctx.bill("lists", 1);
    const now = this.clock();
    const page: StorePage = await this.store.page(prefix, after, limit, now);
    const keys = this.applyListLag(page, prefix, after, now).slice(0, limit + 1);
    const complete = keys.length <= limit && page.complete;
    // Built field by field (name, expiration, metadata): a list call can return 1,000 keys, and
    // the simulator lists millions a day. Metadata is parsed afresh for every key, as production does.
    const shown: KVNamespaceListKey<unknown>[] = new Array(Math.min(keys.length, limit));
    for (let i = 0; i < shown.length; i += 1) {
      const view = keys[i]!;
      const key: { name: string; expiration?: number; metadata?: unknown } = { name: view.name };
      if (view.expiration !== undefined) key.expiration = view.expiration;
      if (view.metaJson !== undefined) key.metadata = JSON.parse(view.metaJson);
      shown[i] = key as KVNamespaceListKey<unknown>;
    }
    if (complete) return { keys: shown, list_complete: true, cacheStatus: null };
    const last = shown.at(-1)?.name ?? page.views.at(-1)?.name ?? after ?? prefix;
    return { keys: shown, list_complete: false, cursor: encodeCursor(last), cacheStatus: null };
  }

  /** What list() shows: keys written in the last `listLagMs` keep their previous state. */
  private applyListLag(page: StorePage, prefix: string, after: string | undefined, now: number): ListView[] {
    if (this.lag.size === 0) return page.views;
    const upper = page.complete ? undefined : page.views.at(-1)?.name;
    // Usually no key written in the last minute falls in this page: find out before copying it.
    let lagging: [string, ListView | null][] | undefined;
    for (const key of [...this.lag.keys()]) {
      if (!key.startsWith(prefix) || (after !== undefined && key <= after) || (upper !== undefined && key > upper)) continue;
      const record = this.settledLag(key, now);
      if (!record) continue;
      (lagging ??= []).push([key, record.base && !isExpired(record.base, now) ? record.base : null]);
    }
    if (!lagging) return page.views;
    const shown = new Map<string, ListView | null>(page.views.map((view) => [view.name, view]));
    for (const [key, view] of lagging) shown.set(key, view);
    return [...shown.values()].filter((view): view is ListView => view !== null).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  }
}

interface OpContext {
  location: string;
  count: () => void;
  bill: (kind: KvKind, n: number, admit?: () => void) => void;
}
