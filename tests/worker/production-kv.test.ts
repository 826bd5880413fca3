import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ProductionKv, type Plan } from "../support/production-kv";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Noon UTC, far from midnight so quota tests choose when the day turns. */
const NOON = Date.UTC(2026, 10, 27, 12);

let run = 0;
/** A fresh clock, model and key prefix per test: miniflare's namespace is shared by the file. */
function setup(store: "miniflare" | "memory", plan: Plan = "paid") {
  const clock = { now: NOON };
  const kv = new ProductionKv({ clock: () => clock.now, plan, ...(store === "miniflare" ? { backing: env.PLAUDIT } : {}) });
  run += 1;
  const p = `t${run}-${store}:`;
  return { kv, clock, p, tick: (ms: number) => (clock.now += ms) };
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the operation to fail");
}

describe.each(["miniflare", "memory"] as const)("ProductionKv (%s store)", (store) => {
  describe("1 write per second per key", () => {
    it("refuses a second write to a key within a second, as production does, and allows it after", async () => {
      const { kv, p, tick } = setup(store);
      const ns = kv.binding();
      await ns.put(`${p}k`, "1");
      expect(await rejection(ns.put(`${p}k`, "2"))).toBe("KV PUT failed: 429 Too Many Requests");
      expect(await rejection(kv.binding().delete(`${p}k`))).toBe("KV DELETE failed: 429 Too Many Requests");
      await ns.put(`${p}other`, "fine");
      tick(999);
      await expect(ns.put(`${p}k`, "3")).rejects.toThrow("429");
      tick(1);
      await ns.put(`${p}k`, "4");
      expect(await ns.get(`${p}k`)).toBe("4");
      expect(kv.stats().refused.writeRate).toBe(3);
      expect(kv.stats().refused.writeRateByFamily).toEqual({ [p.slice(0, -1)]: 3 });
      expect(kv.stats().total.writes).toBe(3);
    });

    it("of writes racing at the same instant from many invocations, exactly one succeeds", async () => {
      const { kv, p } = setup(store);
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => kv.binding({ location: `loc${i}` }).put(`${p}hot`, String(i))));
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect(kv.stats().refused.writeRate).toBe(9);
    });
  });

  describe("1,000 operations per invocation", () => {
    it("the 1001st operation of one invocation throws; a bulk get of 100 keys is one operation", async () => {
      const { kv, p } = setup(store);
      const invocation = kv.invocation({ label: "GET /busy" });
      const keys = Array.from({ length: 100 }, (_, i) => `${p}${i}`);
      for (let i = 0; i < 999; i += 1) await invocation.kv.get(keys);
      await invocation.kv.get(`${p}0`);
      expect(await rejection(invocation.kv.get(`${p}0`))).toBe("Too many API requests by single worker invocation.");
      expect(await rejection(invocation.kv.put(`${p}x`, "v"))).toBe("Too many API requests by single worker invocation.");
      invocation.end();
      // A bulk get bills one read per key.
      expect(kv.stats().total.reads).toBe(999 * 100 + 1);
      expect(kv.stats().refused.invocationLimit).toBe(2);
      expect(kv.stats().invocations).toMatchObject({ count: 1, maxOps: 1002, maxOpsLabel: "GET /busy", overLimit: 1, histogram: { ">1000": 1 } });
      // The next invocation has a budget of its own.
      expect(await kv.binding().get(`${p}0`)).toBeNull();
    });

    it("a bulk get of more than 100 keys is refused", async () => {
      const { kv, p } = setup(store);
      const keys = Array.from({ length: 101 }, (_, i) => `${p}${i}`);
      expect(await rejection(kv.binding().get(keys))).toBe("KV GET_BULK failed: 400 You can request a maximum of 100 keys");
      expect(await rejection(kv.binding().get([`${p}a`], "arrayBuffer" as "json"))).toBe('KV GET_BULK failed: 400 "arrayBuffer" is not a valid type. Use "json" or "text"');
    });
  });

  describe("size limits", () => {
    it("keys over 512 bytes, metadata over 1,024 bytes and values over 25 MiB fail with production's errors", async () => {
      const { kv, p } = setup(store);
      const ns = kv.binding();
      const longKey = p + "é".repeat(256);
      const bytes = new TextEncoder().encode(longKey).length;
      expect(await rejection(ns.get(longKey))).toBe(`KV GET failed: 414 UTF-8 encoded length of ${bytes} exceeds key length limit of 512.`);
      expect(await rejection(ns.put(longKey, "v"))).toBe(`KV PUT failed: 414 UTF-8 encoded length of ${bytes} exceeds key length limit of 512.`);
      await ns.put(p + "x".repeat(512 - p.length), "at the limit");
      expect(await rejection(ns.put(`${p}m`, "v", { metadata: { pad: "x".repeat(1100) } }))).toBe("KV PUT failed: 413 Metadata length of 1110 exceeds limit of 1024.");
      expect(await rejection(ns.put(`${p}big`, "x".repeat(25 * 1024 * 1024 + 1)))).toBe("KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.");
      expect(await rejection(ns.list({ prefix: p, limit: 1001 }))).toBe("KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000.");
      expect(await rejection(ns.put(`${p}t`, "v", { expirationTtl: 59 }))).toBe("KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.");
      expect(await rejection(ns.get(`${p}t`, { cacheTtl: 29 }))).toBe("KV GET failed: 400 Invalid cache_ttl of 29. Cache TTL must be at least 30.");
      expect(kv.stats().total.writes).toBe(1);
    });
  });

  describe("eventual consistency", () => {
    it("list() shows a new key only 60 s after the write, while the writer's get sees it at once", async () => {
      const { kv, p, tick } = setup(store);
      await kv.binding().put(`${p}new`, "v", { metadata: { n: 1 } });
      expect(await kv.binding().get(`${p}new`)).toBe("v");
      expect((await kv.binding().list({ prefix: p })).keys).toEqual([]);
      tick(59_999);
      expect((await kv.binding().list({ prefix: p })).keys).toEqual([]);
      tick(1);
      expect((await kv.binding().list({ prefix: p })).keys).toEqual([{ name: `${p}new`, metadata: { n: 1 } }]);
    });

    it("list() keeps a changed key's previous metadata, and a deleted key, for 60 s", async () => {
      const { kv, p, tick } = setup(store);
      await kv.binding().put(`${p}a`, "", { metadata: { r: 1 } });
      await kv.binding().put(`${p}b`, "", { metadata: { r: 2 } });
      tick(MINUTE);
      await kv.binding().put(`${p}a`, "", { metadata: { r: 5 } });
      await kv.binding().delete(`${p}b`);
      tick(2 * SECOND);
      await kv.binding().put(`${p}a`, "", { metadata: { r: 4 } });
      expect((await kv.binding().list({ prefix: p })).keys).toEqual([
        { name: `${p}a`, metadata: { r: 1 } },
        { name: `${p}b`, metadata: { r: 2 } },
      ]);
      tick(58 * SECOND);
      // The first change settled; the second (2 s later) has not.
      expect((await kv.binding().list({ prefix: p })).keys).toEqual([{ name: `${p}a`, metadata: { r: 5 } }]);
      tick(2 * SECOND);
      expect((await kv.binding().list({ prefix: p })).keys).toEqual([{ name: `${p}a`, metadata: { r: 4 } }]);
    });

    it("another location serves its cached copy for 60 s (or the cacheTtl it asked for)", async () => {
      const { kv, p, tick } = setup(store);
      const sydney = () => kv.binding({ location: "SYD" });
      const london = () => kv.binding({ location: "LHR" });
      expect(await sydney().get(`${p}k`)).toBeNull();
      await london().put(`${p}k`, "v1");
      expect(await london().get(`${p}k`)).toBe("v1");
      tick(59 * SECOND);
      // Sydney looked it up (and found nothing) 59 s ago: it still has no value.
      expect(await sydney().get(`${p}k`)).toBeNull();
      tick(SECOND);
      expect(await sydney().get(`${p}k`)).toBe("v1");
      tick(2 * SECOND);
      await london().put(`${p}k`, "v2");
      tick(29 * SECOND);
      expect(await sydney().get(`${p}k`)).toBe("v1");
      expect(await sydney().get(`${p}k`, { cacheTtl: 30 })).toBe("v1");
      // A fresh location reads central at once.
      expect(await kv.binding({ location: "NRT" }).get(`${p}k`)).toBe("v2");
      tick(31 * SECOND);
      expect((await sydney().getWithMetadata(`${p}k`)).value).toBe("v2");
    });
  });

  describe("expiry and value shapes", () => {
    it("an expiring key is readable and listed with its expiration until the clock passes it", async () => {
      const { kv, p, tick, clock } = setup(store);
      const expiration = Math.floor(clock.now / 1000) + 120;
      await kv.binding().put(`${p}e`, "soon", { expirationTtl: 120, metadata: { m: true } });
      tick(MINUTE);
      expect(await kv.binding().getWithMetadata(`${p}e`)).toEqual({ value: "soon", metadata: { m: true }, cacheStatus: null });
      expect(await kv.binding().list({ prefix: p })).toEqual({ keys: [{ name: `${p}e`, expiration, metadata: { m: true } }], list_complete: true, cacheStatus: null });
      tick(MINUTE);
      expect(await kv.binding().get(`${p}e`)).toBeNull();
      expect((await kv.binding().list({ prefix: p })).keys).toEqual([]);
    });

    it("stores strings, ArrayBuffers and streams and returns every read type", async () => {
      const { kv, p } = setup(store);
      const ns = kv.binding();
      await ns.put(`${p}json`, JSON.stringify({ a: [1, 2] }));
      await ns.put(`${p}bytes`, new TextEncoder().encode("héllo").buffer as ArrayBuffer);
      await ns.put(`${p}stream`, new Response("streamed").body!);
      expect(await ns.get(`${p}json`, "json")).toEqual({ a: [1, 2] });
      expect(await ns.get(`${p}json`, { type: "json", cacheTtl: 60 })).toEqual({ a: [1, 2] });
      expect(new TextDecoder().decode((await ns.get(`${p}bytes`, "arrayBuffer"))!)).toBe("héllo");
      expect(await new Response(await ns.get(`${p}stream`, "stream")).text()).toBe("streamed");
      expect(await ns.get([`${p}json`, `${p}missing`], "json")).toEqual(new Map<string, unknown>([[`${p}json`, { a: [1, 2] }], [`${p}missing`, null]]));
      expect(await ns.getWithMetadata([`${p}stream`, `${p}missing`])).toEqual(
        new Map<string, unknown>([[`${p}stream`, { value: "streamed", metadata: null }], [`${p}missing`, null]]),
      );
      expect(await ns.getWithMetadata(`${p}missing`)).toEqual({ value: null, metadata: null, cacheStatus: null });
    });

    it("pages list() with a cursor, in key order", async () => {
      const { kv, p, tick } = setup(store);
      const names = ["e", "a", "d", "b", "c"].map((name) => `${p}${name}`);
      for (const name of names) await kv.binding().put(name, "");
      tick(MINUTE);
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await kv.binding().list({ prefix: p, limit: 2, cursor });
        pages.push(page.keys.map((key) => key.name.slice(p.length)));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      expect(pages).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    });
  });
});

// Thousands of operations: in memory only, since the counting does not depend on the store.
describe("ProductionKv at volume (memory store)", () => {
  describe("the Free plan's daily quotas", () => {
    it("refuse the 1,001st write, delete and list of a UTC day and reset at midnight", async () => {
      const { kv, p, clock } = setup("memory", "free");
      clock.now = Date.UTC(2026, 10, 27, 23, 0);
      const ns = () => kv.binding();
      for (let i = 0; i < 1000; i += 1) await ns().put(`${p}${i}`, "v");
      expect(await rejection(ns().put(`${p}one-more`, "v"))).toBe("KV put() limit exceeded for the day.");
      for (let i = 0; i < 1000; i += 1) await ns().delete(`${p}gone${i}`);
      expect(await rejection(ns().delete(`${p}gone-more`))).toBe("KV delete() limit exceeded for the day.");
      const lister = kv.binding();
      for (let i = 0; i < 1000; i += 1) await lister.list({ prefix: `${p}none`, limit: 1 });
      expect(await rejection(ns().list({ prefix: p }))).toBe("KV list() limit exceeded for the day.");
      expect(kv.stats().refused.quota).toEqual({ reads: 0, writes: 1, deletes: 1, lists: 1 });
      expect(kv.stats().byDay).toEqual({ "2026-11-27": { reads: 0, writes: 1000, deletes: 1000, lists: 1000 } });

      clock.now = Date.UTC(2026, 10, 28, 0, 0);
      await ns().put(`${p}one-more`, "v");
      await ns().list({ prefix: `${p}none` });
      expect(kv.stats().byDay["2026-11-28"]).toEqual({ reads: 0, writes: 1, deletes: 0, lists: 1 });
    });

    it("refuse reads past 100,000 a day, counting a bulk get as one read per key", async () => {
      const { kv, p } = setup("memory", "free");
      const keys = Array.from({ length: 100 }, (_, i) => `${p}${i}`);
      const reader = kv.binding();
      for (let i = 0; i < 1000; i += 1) await reader.get(keys);
      expect(await rejection(kv.binding().get(`${p}0`))).toBe("KV get() limit exceeded for the day.");
      expect(await rejection(kv.binding().getWithMetadata(`${p}0`))).toBe("KV get() limit exceeded for the day.");
      expect(kv.stats().total.reads).toBe(100_000);
    });

    it("do not apply on the Paid plan", async () => {
      const { kv, p } = setup("memory", "paid");
      for (let i = 0; i < 1001; i += 1) await kv.binding().put(`${p}${i}`, "v");
      expect(kv.stats().total.writes).toBe(1001);
    });
  });

    it("pages list() by 1,000 keys at most, in key order, with a cursor", async () => {
      const { kv, p, tick } = setup("memory");
      const names = Array.from({ length: 1205 }, (_, i) => `${p}${String(i).padStart(4, "0")}`);
      const writer = () => kv.binding();
      for (let start = 0; start < names.length; start += 500) {
        const invocation = writer();
        for (const name of names.slice(start, start + 500)) await invocation.put(name, "", { metadata: { name } });
      }
      tick(MINUTE);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await kv.binding().list({ prefix: p, cursor });
        expect(page.keys.length).toBeLessThanOrEqual(1000);
        seen.push(...page.keys.map((key) => key.name));
        cursor = page.list_complete ? undefined : page.cursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(2);
      expect(seen).toEqual(names);
      const small = await kv.binding().list({ prefix: p, limit: 2 });
      expect(small.keys.map((key) => key.name)).toEqual(names.slice(0, 2));
      expect(small.list_complete).toBe(false);
    });

    it("lists a prefix again as it stands now: after writes, deletes and seeds under it, with fresh metadata each time", async () => {
      const { kv, p, tick } = setup("memory");
      kv.seed(`${p}a`, "", { metadata: { r: 1 } });
      kv.seed(`${p}c`, "", { metadata: { r: 3 } });
      const list = async (prefix = p) => (await kv.binding().list({ prefix })).keys;
      const first = await list();
      expect(first).toEqual([{ name: `${p}a`, metadata: { r: 1 } }, { name: `${p}c`, metadata: { r: 3 } }]);
      (first[0]!.metadata as { r: number }).r = 99;
      expect(await list()).toEqual([{ name: `${p}a`, metadata: { r: 1 } }, { name: `${p}c`, metadata: { r: 3 } }]);
      expect(await list(`${p}c`)).toEqual([{ name: `${p}c`, metadata: { r: 3 } }]);
      await kv.binding().put(`${p}b`, "", { metadata: { r: 2 } });
      await kv.binding().delete(`${p}c`);
      kv.seed(`${p}d`, "", { metadata: { r: 4 } });
      // The write and the delete are listed a minute late; the seed at once.
      expect(await list()).toEqual([{ name: `${p}a`, metadata: { r: 1 } }, { name: `${p}c`, metadata: { r: 3 } }, { name: `${p}d`, metadata: { r: 4 } }]);
      tick(MINUTE);
      expect(await list()).toEqual([{ name: `${p}a`, metadata: { r: 1 } }, { name: `${p}b`, metadata: { r: 2 } }, { name: `${p}d`, metadata: { r: 4 } }]);
      expect(await list(`${p}c`)).toEqual([]);
    });
});

describe("ProductionKv over miniflare", () => {
  it("keeps its data in the backing binding, so a test can inspect it directly", async () => {
    const { kv, p } = setup("miniflare");
    await kv.binding().put(`${p}seen`, "by miniflare", { metadata: { r: 3 } });
    expect(await env.PLAUDIT.getWithMetadata(`${p}seen`)).toMatchObject({ value: "by miniflare", metadata: { r: 3 } });
  });
});

describe("the unlimited plan", () => {
  it("lifts the per-key and per-invocation limits but keeps the consistency model", async () => {
    const { kv, p } = setup("memory", "unlimited");
    const ns = kv.binding();
    for (let i = 0; i < 1100; i += 1) await ns.put(`${p}same`, String(i));
    expect(await ns.get(`${p}same`)).toBe("1099");
    expect((await ns.list({ prefix: p })).keys).toEqual([]);
  });
});
