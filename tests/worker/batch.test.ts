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

  it("refuses a request without ids or with more than 100", async () => {
    const cases: [string, string][] = [
      ["/api/v1/articles", "invalid_ids"],
      [batchPath(Array.from({ length: 101 }, (_, n) => `post-${n}`)), "too_many_ids"],
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

  it("answers a bad id with an error entry of its own, and still answers every other id", async () => {
    const [rated, commented] = [fresh("beside-bad-rated"), fresh("beside-bad-commented")];
    await vote(rated, freshVoter(), 4);
    await publish(commented);
    const bad = ["", "..", "x".repeat(201), "tab\there", "/legit/\u202E/nimda/"];
    const response = await call("GET", batchPath([rated, ...bad, commented]));
    expect(response.status).toBe(200);
    const { articles } = await json(response);
    expect(articles).toHaveLength(bad.length + 2);
    expect(articles[0]).toEqual({ rating: { count: 1, average: 4, best: 5 }, comments: { count: 0 } });
    expect(articles.at(-1)).toEqual({ rating: { count: 0, average: 0, best: 5 }, comments: { count: 1 } });
    for (const entry of articles.slice(1, -1)) {
      // The fields every entry has, so a client that reads them keeps working, and why this id has none.
      expect(entry).toMatchObject({ ...zero, error: { code: "invalid_article" } });
      expect(entry.error.message.length).toBeGreaterThan(10);
    }
    expect(articles[3].error.message).toContain("200");
  });

  it("answers ids that normalise alike (the same article) each, reading it once", async () => {
    const id = `/caf\u00e9-${Date.now()}/`;
    await vote(id, freshVoter(), 5);
    const metered = countingKv(env.PLAUDIT);
    const response = await call("GET", batchPath([id, id.normalize("NFD"), ` ${id}`]), { env: { PLAUDIT: metered.kv } });
    expect(response.status).toBe(200);
    const rated = { rating: { count: 1, average: 5, best: 5 }, comments: { count: 0 } };
    expect((await json(response)).articles).toEqual([rated, rated, rated]);
    expect(metered.counts.reads).toBe(2);
  });

  it("accepts GET and HEAD only", async () => {
    const response = await call("POST", batchPath(["a"]), { body: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
    expect((await call("HEAD", batchPath(["a"]))).status).toBe(200);
  });
});
