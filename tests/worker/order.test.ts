import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingKv } from "./support/kv";
import { articlePath, call, errorCode, json, seedThread } from "./support/api";

type Page = { comments: { id: string; body: string }[]; count: number; cursor: string | null };

async function newest(article: string, cursor = "", limit = 50, options: { env?: Partial<Env> } = {}) {
  const response = await call("GET", articlePath(article, `/comments?order=newest&limit=${limit}&cursor=${cursor}`), options);
  expect(response.status).toBe(200);
  return json<Page>(response);
}

describe("comments newest first (order=newest)", () => {
  it("pages a 3-page thread from the newest comment back to the first, each once", async () => {
    const article = `newest-${crypto.randomUUID()}`;
    const bodies = Array.from({ length: 120 }, (_, i) => `comment ${i}`);
    await seedThread(article, bodies);
    const seen: string[] = [];
    let cursor: string | null = "";
    let requests = 0;
    while (cursor !== null) {
      const page: Page = await newest(article, cursor, 30);
      expect(page.count).toBe(120);
      seen.push(...page.comments.map((c) => c.body));
      cursor = page.cursor;
      expect(++requests).toBeLessThan(20);
    }
    expect(seen).toEqual([...bodies].reverse());
    // A newest-first cursor goes on newest first without `order`.
    const first = await newest(article, "", 30);
    const next = await json<Page>(await call("GET", articlePath(article, `/comments?limit=30&cursor=${first.cursor}`)));
    // The last page held 20 (120 = 50 + 50 + 20): the next 30 come from the page before.
    expect(next.comments.map((c) => c.body)).toEqual(bodies.slice(70, 100).reverse());
  }, 60_000);

  it("costs one KV operation a page: the head alone, then the head and one page in a bulk get", async () => {
    const article = `newest-cost-${crypto.randomUUID()}`;
    await seedThread(article, Array.from({ length: 110 }, (_, i) => `costed ${i}`));
    const metered = countingKv(env.PLAUDIT);
    const first = await newest(article, "", 50, { env: { PLAUDIT: metered.kv } });
    expect(metered.counts).toEqual({ reads: 1, writes: 0, deletes: 0, lists: 0 });
    expect(first.comments[0]!.body).toBe("costed 109");
    let cursor = first.cursor;
    while (cursor !== null) {
      metered.reset();
      cursor = (await newest(article, cursor, 50, { env: { PLAUDIT: metered.kv } })).cursor;
      // countingKv counts a bulk get per key: the head and one page.
      expect(metered.counts.reads).toBeLessThanOrEqual(2);
    }
  }, 60_000);

  it("answers an empty article and refuses a bad order or cursor", async () => {
    expect(await newest(`newest-empty-${crypto.randomUUID()}`)).toEqual({ comments: [], count: 0, cursor: null });
    expect(await errorCode(await call("GET", articlePath("x", "/comments?order=random")))).toBe("invalid_order");
    expect(await errorCode(await call("GET", articlePath("x", "/comments?order=newest&cursor=1.0")))).toBe("invalid_cursor");
  });
});
