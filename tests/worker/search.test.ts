import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { searchQueue } from "../../worker/admin/search";
import { budgetedKv } from "../../worker/lib/kv";
import { countingKv } from "./support/kv";
import { admin, errorCode, json, kvSettles, postComment } from "./support/api";

type Found = { comments: { id: string; body: string; author: string; email: string | null; article: string }[]; cursor: string | null; scanned: number };

async function search(query: string, extra = "", options: { env?: Partial<Env> } = {}) {
  const response = await admin("GET", `/comments?status=pending&q=${encodeURIComponent(query)}${extra}`, options);
  expect(response.status).toBe(200);
  return json<Found>(response);
}

describe("search in the moderation queue (q)", () => {
  it("finds comments by text, author or email, in any case, newest first", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const article = `search-${tag}`;
    const byText = (await json(await postComment(article, { body: `The Zeppelin-${tag} flew over.` }))).comment.id;
    const byAuthor = (await json(await postComment(article, { author: `Grace ${tag}` }))).comment.id;
    const byEmail = (await json(await postComment(`${article}-b`, { email: `hopper-${tag}@example.com` }))).comment.id;
    await postComment(article, { body: "Nothing to see here." });
    kvSettles();
    expect((await search(`zeppelin-${tag.toUpperCase()}`)).comments.map((c) => c.id)).toEqual([byText]);
    expect((await search(`grace ${tag}`)).comments.map((c) => c.id)).toEqual([byAuthor]);
    expect((await search(`HOPPER-${tag}`)).comments.map((c) => c.id)).toEqual([byEmail]);
    expect((await search(tag)).comments.map((c) => c.id)).toEqual([byEmail, byAuthor, byText]);
    // Within one article.
    expect((await search(tag, `&article=${encodeURIComponent(article)}`)).comments.map((c) => c.id)).toEqual([byAuthor, byText]);
    // Paged: one at a time, nothing twice, nothing lost.
    const seen: string[] = [];
    let cursor: string | null = "";
    do {
      const page: Found = await search(tag, `&limit=1&cursor=${encodeURIComponent(cursor ?? "")}`);
      seen.push(...page.comments.map((c) => c.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual([byEmail, byAuthor, byText]);
  });

  it("stops within its KV budget on a big queue and goes on from its cursor", async () => {
    const tag = crypto.randomUUID().replace(/[^a-z0-9]/g, "").slice(0, 8);
    const a = `search-big-${tag}`;
    // Written straight to KV (posting 1,200 comments would take minutes), under a status no other test here uses.
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 1200; i++) {
      const id = `${String(i).padStart(9, "0")}${tag}aa`;
      const body = i === 1100 ? `needle-${tag}` : `hay ${i}`;
      writes.push(env.PLAUDIT.put(`queue:deleted:0000000000000:${a}:${id}`, ""));
      writes.push(env.PLAUDIT.put(`comment:${a}:${id}`, JSON.stringify({ id, article: a, parentId: null, author: "Hay", email: null, website: null, body, createdAt: 1, editedAt: null, status: "deleted", editTokenHash: "", ipHash: "" })));
    }
    await Promise.all(writes);
    // A budget of 6 operations: one list() and 5 bulk gets of 100, then a cursor.
    let cursor: string | null | undefined;
    const found: string[] = [];
    let requests = 0;
    do {
      const metered = countingKv(env.PLAUDIT);
      const { kv, used } = budgetedKv(metered.kv, 1000);
      const page = await searchQueue(kv, "deleted", `NEEDLE-${tag}`, 50, cursor ?? undefined, undefined, 6);
      expect(used()).toBeLessThanOrEqual(6);
      found.push(...page.found.map(({ comment }) => comment.body));
      cursor = page.cursor;
      requests += 1;
    } while (cursor && requests < 100);
    expect(found).toEqual([`needle-${tag}`]);
    expect(cursor).toBeNull();
    // With the real limits, a request looks at 1,000 entries at most (a read each), then hands on.
    const first = await searchQueue(env.PLAUDIT, "deleted", `needle-${tag}`, 50, undefined);
    expect(first.found).toEqual([]);
    expect(first.scanned).toBe(1000);
    const second = await searchQueue(env.PLAUDIT, "deleted", `needle-${tag}`, 50, first.cursor!);
    expect(second.found.map(({ comment }) => comment.body)).toEqual([`needle-${tag}`]);
    expect(second.cursor).toBeNull();
    // At least 1,200 entries at 500 a request, and every request made progress.
    expect(requests).toBeGreaterThanOrEqual(3);
    expect(requests).toBeLessThan(10);
  }, 60_000);

  it("refuses an over-long query or a forged cursor", async () => {
    expect(await errorCode(await admin("GET", `/comments?q=${"x".repeat(201)}`))).toBe("invalid_query");
    expect(await errorCode(await admin("GET", "/comments?q=x&cursor=%%%"))).toBe("invalid_cursor");
    expect(await errorCode(await admin("GET", `/comments?q=x&cursor=${btoa('{"s":-1}')}`))).toBe("invalid_cursor");
  });
});
