import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { budgetedKv } from "../../worker/lib/kv";
import { call, errorCode, freshVoter, json, publish, runCron, vote } from "./support/api";
import { countingKv } from "./support/kv";

const batchPath = (ids: string[]) => `/api/v1/articles?${ids.map((id) => `ids=${encodeURIComponent(id)}`).join("&")}`;
const zero = { rating: { count: 0, average: 0, best: 5 }, comments: { count: 0 } };
let counter = 0;
const fresh = (label: string) => `/batch/${label}-${Date.now()}-${++counter}/`;

describe("GET /api/v1/articles?ids=… (ratings and comment counts for an index page)", () => {
  it("answers each article in request order, unknown ones as zeros", async () => {
    const [loved, panned, commented, unknown] = [fresh("loved"), fresh("panned"), fresh("commented"), fresh("unknown")];
    await vote(loved, freshVoter(), 5);
    await vote(panned, freshVoter(), 2);
    await publish(commented);

    const response = await call("GET", batchPath([commented, unknown, loved, panned]));
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      articles: [
        { rating: { count: 0, average: 0, best: 5 }, comments: { count: 1 } },
        zero,
        { rating: { count: 1, average: 5, best: 5 }, comments: { count: 0 } },
        { rating: { count: 1, average: 2, best: 5 }, comments: { count: 0 } },
      ],
    });
  });

  it("counts several votes and published comments, not held ones", async () => {
    const article = fresh("busy");
    await vote(article, freshVoter(), 5);
    await vote(article, freshVoter(), 4);
    await runCron();
    await publish(article);
    await publish(article);
    // Held for moderation: not counted until approved.
    expect((await call("POST", `/api/v1/articles/${encodeURIComponent(article)}/comments`, { body: { author: "Held", body: "Waiting for a moderator." } })).status).toBe(201);
    // The second vote came within a turn of the first: its aggregate write may follow a moment later.
    await expect.poll(async () => (await json(await call("GET", batchPath([article])))).articles, { timeout: 5_000 }).toEqual([{ rating: { count: 2, average: 4.5, best: 5 }, comments: { count: 2 } }]);
  });

  it("normalises ids as the page-view route does", async () => {
    const id = `caf\u00e9-${Date.now()}`;
    await vote(id, freshVoter(), 3);
    const body = await json(await call("GET", batchPath([` ${id.normalize("NFD")} `])));
    expect(body.articles[0].rating).toEqual({ count: 1, average: 3, best: 5 });
  });

  it("makes at most 4 KV operations (two bulk gets) for 100 articles, under 16 KB", async () => {
    const ids = Array.from({ length: 100 }, (_, n) => `/2026/11/a-reasonably-long-post-title-number-${n}-${Date.now()}/`);
    await vote(ids[7]!, freshVoter(), 2);
    await publish(ids[42]!);
    const budget = budgetedKv(env.PLAUDIT, 4);
    const metered = countingKv(budget.kv);
    const response = await call("GET", batchPath(ids), { env: { PLAUDIT: metered.kv } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text);
    expect(budget.used()).toBe(2);
    // Billed per key, though only two operations of the invocation's 1,000.
    expect(metered.counts).toEqual({ reads: 200, writes: 0, deletes: 0, lists: 0 });
    expect(body.articles).toHaveLength(100);
    expect(body.articles[7].rating.count).toBe(1);
    expect(body.articles[42].comments.count).toBe(1);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(16 * 1024);
  });

  it("stays within 16 KB for 100 articles even with the largest counts", async () => {
    // The response never echoes ids, so its size does not depend on them: the worst case is the
    // longest numbers. Checked on the shape itself.
    const widest = { rating: { count: 999_999_999, average: 4.99, best: 5 }, comments: { count: 999_999_999 } };
    expect(JSON.stringify({ articles: Array(100).fill(widest) }).length).toBeLessThanOrEqual(16 * 1024);
  });

  it("is cacheable like the page view: Cache-Control, ETag, 304", async () => {
    const ids = [fresh("etag-a"), fresh("etag-b")];
    const first = await call("GET", batchPath(ids));
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=10");
    const tag = first.headers.get("ETag");
    expect(tag).toMatch(/^"[^"]+"$/);
    const again = await call("GET", batchPath(ids), { headers: { "If-None-Match": tag! } });
    expect(again.status).toBe(304);

    await vote(ids[1]!, freshVoter(), 5);
    const changed = await call("GET", batchPath(ids), { headers: { "If-None-Match": tag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(tag);
  });

  it("refuses a request without ids, with more than 100, or with one twice", async () => {
    const cases: [string, string][] = [
      ["/api/v1/articles", "invalid_ids"],
      ["/api/v1/articles?ids=", "invalid_article"],
      [batchPath(Array.from({ length: 101 }, (_, n) => `post-${n}`)), "too_many_ids"],
      [batchPath(["a", "b", "a"]), "duplicate_ids"],
      [batchPath(["caf\u00e9", "cafe\u0301"]), "duplicate_ids"],
      [batchPath(["fine", ".."]), "invalid_article"],
      [batchPath(["fine", "x".repeat(201)]), "invalid_article"],
      [batchPath(["tab\there"]), "invalid_article"],
    ];
    for (const [path, code] of cases) {
      const response = await call("GET", path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      const body = await json(response.clone());
      expect(body.error.field).toBe("ids");
      expect(await errorCode(response)).toBe(code);
    }
  });

  it("names the offending id in its error", async () => {
    const body = await json(await call("GET", batchPath(["ok", "also-ok", "ok"])));
    expect(body.error.message).toContain("ids[2]");
    expect(body.error.message).toContain('"ok"');
  });

  it("accepts GET and HEAD only", async () => {
    const response = await call("POST", batchPath(["a"]), { body: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
    expect((await call("HEAD", batchPath(["a"]))).status).toBe(200);
  });
});
