import { describe, expect, it } from "vitest";
import { publicId } from "../../worker/lib/hash";
import { EXPORT_OPERATIONS, PAGE_OPERATIONS } from "../../worker/admin/export";
import { ATTENTION_KEY } from "../../worker/cron/attention";
import { admin, errorCode } from "./support/api";
import { emptyProductionKv, exportEverything, exportPage, withoutHeader } from "./support/export-pages";
import type { ProductionKv } from "../support/production-kv";

const T0 = Date.parse("2025-03-01T12:00:00Z");

/** A site with `articles` rated articles of `votesEach` votes, one reset article and a few comments. */
async function seedSite(kv: ProductionKv, articles: number, votesEach: number, comments: number) {
  for (let i = 0; i < articles; i += 1) {
    const article = `/posts/${i}/`;
    const a = await publicId(article);
    kv.seed(`rating:${a}`, JSON.stringify({ article, histogram: [0, 0, 0, 0, votesEach], updatedAt: T0 }), { metadata: { t: T0, h: [0, 0, 0, 0, votesEach] } });
    for (let v = 0; v < votesEach; v += 1) kv.seed(`vote:${a}:voter${String(v).padStart(18, "0")}`, "", { metadata: { r: 1 + (v % 5), t: T0 + v } });
  }
  // Votes cast before an admin reset are not exported.
  const reset = await publicId("/reset/");
  kv.seed(`vote:${reset}:old-voter-0000000000`, "", { metadata: { r: 2, t: T0 } });
  kv.seed(`reset:${reset}`, "", { metadata: { t: T0 + 10 } });
  const a = await publicId("/talk/");
  for (let i = 0; i < comments; i += 1) {
    const id = `${(T0 + i).toString(36).padStart(9, "0")}${String(i).padStart(10, "0")}`;
    const comment = { id, article: "/talk/", parentId: null, author: `Reader ${i}`, email: null, website: null, body: `Words ${i}`, createdAt: T0 + i, editedAt: null, status: "approved", editTokenHash: "secret-hash", ipHash: "ip" };
    kv.seed(`comment:${a}:${id}`, JSON.stringify(comment), { metadata: { s: "approved", t: T0 + i, p: null, h: "h" } });
  }
}

/** A cast vote whose aggregate a deferred write or the cron has yet to write: only the cron's attention set names its article. */
async function seedUncountedVote(kv: ProductionKv, article: string) {
  const a = await publicId(article);
  kv.seed(`vote:${a}:voter-not-counted-yet-0`, "", { metadata: { r: 4, t: T0 } });
  kv.seed(ATTENTION_KEY, JSON.stringify({ [`rating:${a}`]: { kind: "rating", a, article, at: T0 } }));
}

describe("export in pages", () => {
  it("answers a small site in one response, as before: header, votes, comments, no continuation", async () => {
    const kv = emptyProductionKv();
    await seedSite(kv, 3, 4, 5);
    const page = await exportPage(kv);
    expect(page.cursor).toBeNull();
    expect(page.records[0]).toMatchObject({ type: "export", version: 1 });
    expect(page.records.filter((record) => record.type === "vote")).toHaveLength(12);
    expect(page.records.filter((record) => record.type === "comment")).toHaveLength(5);
    expect(page.records.find((record) => record.type === "vote")).toMatchObject({ article: expect.stringMatching(/^\/posts\/\d\/$/), rating: expect.any(Number), at: expect.any(String) });
    expect(JSON.stringify(page.records)).not.toContain("secret-hash");
    expect(JSON.stringify(page.records)).not.toContain("old-voter");
  });

  it("pages a big export with a cursor, each request within its KV budget, and the pages add up to the whole", async () => {
    const kv = emptyProductionKv();
    await seedSite(kv, 40, 60, 1500);
    const whole = await exportEverything(kv);
    expect(withoutHeader(whole.records)).toHaveLength(40 * 60 + 1500);
    expect(whole.pages).toHaveLength(1);

    const paged = await exportEverything(kv, 700);
    expect(paged.pages.length).toBeGreaterThanOrEqual(6);
    expect(withoutHeader(paged.records)).toEqual(withoutHeader(whole.records));
    expect(paged.records.filter((record) => record.type === "export")).toHaveLength(1);
    for (const page of [...paged.pages, ...whole.pages]) expect(page.ops).toBeLessThanOrEqual(EXPORT_OPERATIONS);
    // A page of 700 votes costs one list(), one list() of the resets and a bulk get for names.
    expect(paged.pages[0]!.ops).toBe(3);
  });

  it("costs at most PAGE_OPERATIONS per listed page, its worst case being 1,000 votes on 1,000 articles, one not counted yet", async () => {
    const kv = emptyProductionKv();
    await seedSite(kv, 999, 1, 0);
    await seedUncountedVote(kv, "/posts/999/");
    const first = await exportPage(kv, "?limit=1000");
    expect(first.cursor).not.toBeNull();
    expect(first.ops).toBe(PAGE_OPERATIONS + 1); // and one list() of the resets
    const whole = await exportEverything(kv);
    expect(withoutHeader(whole.records)).toHaveLength(1000);
    expect(whole.records.filter((record) => record.type === "vote" && record.article === null)).toEqual([]);
  });

  it("names a vote whose aggregate is not written yet, from the cron's list of articles to recount", async () => {
    const kv = emptyProductionKv();
    await seedUncountedVote(kv, "/just/voted/");
    const page = await exportPage(kv);
    expect(withoutHeader(page.records)).toEqual([expect.objectContaining({ type: "vote", article: "/just/voted/", rating: 4 })]);
  });

  it("rejects a cursor it did not hand out and a bad limit with a clear 400", async () => {
    expect(await errorCode(await admin("GET", "/export?cursor=not-a-cursor"))).toBe("invalid_cursor");
    expect(await errorCode(await admin("GET", `/export?cursor=${btoa(JSON.stringify({ phase: "secrets" }))}`))).toBe("invalid_cursor");
    // A well-formed position whose list() cursor production KV refuses: still a 400, not a 200 cut short.
    const forged = btoa(JSON.stringify({ phase: "votes", list: "%%%" })).replace(/=+$/, "");
    expect(await errorCode(await admin("GET", `/export?cursor=${forged}`, { env: { PLAUDIT: emptyProductionKv().binding() } }))).toBe("invalid_cursor");
    expect(await errorCode(await admin("GET", "/export?limit=0"))).toBe("invalid_limit");
    expect(await errorCode(await admin("GET", "/export?limit=10001"))).toBe("invalid_limit");
  });
});
