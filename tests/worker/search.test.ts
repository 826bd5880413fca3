import { describe, expect, it } from "vitest";
import { metadataText, withSearchFields } from "../../worker/comments/search-fields";
import { commentMetadata, queueKeys } from "../../worker/writer/comment-desk";
import { TEST_SECRETS } from "../secrets";
import { countingKv } from "./support/kv";
import { defaultBinding, fixtureKv } from "./support/production";
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

  it("finds a name on a 10,000-comment site in one request, with a list() per 1,000 comments and a read per comment found", async () => {
    const tag = crypto.randomUUID().replace(/[^a-z0-9]/g, "").slice(0, 8);
    const secret = TEST_SECRETS.HASH_SECRET;
    const named = new Set([17, 5003, 9990]);
    // Written straight to KV as the writers write them (metadata and queue entries included):
    // importing 10,000 comments would take minutes.
    const kv = fixtureKv();
    for (let start = 0; start < 10_000; start += 500) {
      await Promise.all(
        Array.from({ length: 500 }, async (_, offset) => {
          const i = start + offset;
          const a = `big-${tag}-${i % 100}`;
          const id = `${(1_700_000_000_000 + i).toString(36)}${tag}${String(i).padStart(5, "0")}`.slice(0, 19);
          const comment = { id, article: a, parentId: null, author: named.has(i) ? `Ottoline Quibble${tag}` : `Reader ${i}`, email: `reader${i}@example.com`, website: null, body: `Comment ${i}: ${"words ".repeat(40)}`, createdAt: 1_700_000_000_000 + i, editedAt: null, status: "approved" as const, editTokenHash: "", ipHash: "" };
          await kv.put(`comment:${a}:${id}`, JSON.stringify(comment), { metadata: await commentMetadata(secret, comment) });
          for (const entry of queueKeys(a, comment)) await kv.put(entry, "");
        }),
      );
    }
    kvSettles();
    const metered = countingKv(defaultBinding("search"));
    const response = await admin("GET", `/comments?status=approved&q=${encodeURIComponent(`quibble${tag.toUpperCase()}`)}`, { env: { PLAUDIT: metered.kv } });
    const page = await json<Found>(response);
    expect(page.comments.map((c) => c.body.split(":")[0])).toEqual(["Comment 9990", "Comment 5003", "Comment 17"]);
    expect(page.cursor).toBeNull();
    expect(page.scanned).toBeGreaterThanOrEqual(10_000);
    // 10,000 comments (and the few other tests here wrote) are 11 list() pages at most; the 3 found are read.
    expect(metered.counts.lists).toBeLessThanOrEqual(11);
    expect(metered.counts).toMatchObject({ reads: 3, writes: 0, deletes: 0 });
  }, 120_000);

  it("keeps comment metadata ASCII (KV receives it in a header), and still finds names and words in any script", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const article = `search-script-${tag}`;
    const zoe = (await json(await postComment(article, { author: `Zoë ${tag}`, body: `Über alles: 日本の雨 ${tag}.` }))).comment.id;
    await postComment(article, { body: `Plain words ${tag}.` });
    const { publicId } = await import("../../worker/lib/hash");
    const { metadata } = await defaultBinding().getWithMetadata(`comment:${await publicId(article)}:${zoe}`);
    expect(JSON.stringify(metadata)).toMatch(/^[\x20-\x7e]*$/);
    kvSettles();
    expect((await search(`ZOË ${tag}`)).comments.map((c) => c.id)).toEqual([zoe]);
    expect((await search("日本の雨", `&article=${encodeURIComponent(article)}`)).comments.map((c) => c.id)).toEqual([zoe]);
    // A needle that matches inside an escape finds only what really holds it: nothing here.
    expect((await search("u{", `&article=${encodeURIComponent(article)}`)).comments).toEqual([]);
  });

  it("keeps what search needs within KV's 1,024 bytes of metadata, whatever the comment", () => {
    const longest = { id: "x".repeat(19), article: "a", parentId: "y".repeat(19), author: "😀".repeat(80), email: `${"e".repeat(240)}@example.com`, website: null, body: `"\\${"ż😀\u0001".repeat(1700)}`, createdAt: 1, editedAt: null, status: "approved" as const, editTokenHash: "", ipHash: "", revision: { body: "x".repeat(5000), at: 2 } };
    const metadata = withSearchFields({ s: "approved", t: 1, p: longest.parentId, h: "h".repeat(16), r: 1 }, longest);
    expect(new TextEncoder().encode(JSON.stringify(metadata)).length).toBeLessThanOrEqual(1024);
    // Written ASCII: a name in another script is kept as far as its share of the bytes goes.
    expect(metadataText(longest.author).startsWith(metadata.n!)).toBe(true);
    expect(metadata.n!.length).toBeGreaterThan(200);
    expect(metadata.xc).toBe(1);
    expect(metadataText(longest.body.toLowerCase()).startsWith(metadata.x!)).toBe(true);
  });

  it("still finds comments written before their metadata held author and text, reading at most 2,000 a request", async () => {
    const tag = crypto.randomUUID().replace(/[^a-z0-9]/g, "").slice(0, 8);
    const a = `search-old-${tag}`;
    const kv = fixtureKv();
    await Promise.all(
      Array.from({ length: 1200 }, (_, i) => {
        const id = `${String(i).padStart(9, "0")}${tag}aa`;
        const body = i === 1100 ? `needle-${tag}` : `hay ${i}`;
        // Under a status no other test here uses, with the older metadata (no author, no text).
        return kv.put(`comment:${a}:${id}`, JSON.stringify({ id, article: a, parentId: null, author: "Hay", email: null, website: null, body, createdAt: i, editedAt: null, status: "deleted", editTokenHash: "", ipHash: "" }), { metadata: { s: "deleted", t: i, p: null, h: "x" } });
      }),
    );
    kvSettles();
    const found: string[] = [];
    let cursor: string | null = "";
    let requests = 0;
    do {
      const metered = countingKv(defaultBinding("search"));
      const response = await admin("GET", `/comments?status=deleted&q=NEEDLE-${tag}&cursor=${encodeURIComponent(cursor ?? "")}`, { env: { PLAUDIT: metered.kv } });
      const page: Found = await json<Found>(response);
      expect(metered.counts.reads).toBeLessThanOrEqual(2000 + 50);
      found.push(...page.comments.map((c) => c.body));
      cursor = page.cursor;
      requests += 1;
    } while (cursor && requests < 10);
    expect(found).toEqual([`needle-${tag}`]);
    expect(requests).toBeLessThanOrEqual(2);
  }, 60_000);

  it("refuses an over-long query or a forged cursor", async () => {
    expect(await errorCode(await admin("GET", `/comments?q=${"x".repeat(201)}`))).toBe("invalid_query");
    expect(await errorCode(await admin("GET", "/comments?q=x&cursor=%%%"))).toBe("invalid_cursor");
    expect(await errorCode(await admin("GET", `/comments?q=x&cursor=${btoa('{"s":-1}')}`))).toBe("invalid_cursor");
  });
});
