import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { forgetCachedSettings } from "../../worker/settings/store";
import { countingKv } from "./support/kv";
import { admin, articlePath, call, commentPath, json, postComment } from "./support/api";

async function post(article: string, input: Record<string, unknown>, options: { env?: Partial<Env> } = {}) {
  const response = await postComment(article, input, options);
  expect(response.status).toBe(201);
  return (await json(response)).comment as { id: string; status: string };
}

async function approve(article: string, id: string) {
  expect((await admin("PATCH", commentPath(article, id), { body: { status: "approved" } })).status).toBe(200);
}

const email = () => `reader-${crypto.randomUUID()}@example.com`;

describe("returning commenters (TRUST_RETURNING)", () => {
  /** The ids of the article's published comments, as readers see them. */
  const published = async (article: string) => (await json(await call("GET", articlePath(article)))).comments.items.map((c: { id: string }) => c.id);

  it("publishes at once, under pre-moderation, a comment whose name and email have an approved comment", async () => {
    const article = `trust-${crypto.randomUUID()}`;
    const address = email();
    const first = await post(article, { author: "Ada Lovelace", email: address });
    expect(first.status).toBe("pending");
    await approve(article, first.id);
    // Any letter case and spacing of either is the same commenter; other articles too.
    const second = await post(`${article}-other`, { author: "  ada   LOVELACE ", email: `  ${address.toUpperCase()} ` });
    expect(await published(`${article}-other`)).toEqual([second.id]);
  });

  it("trusts a name and address together: the address under another name is a stranger's", async () => {
    const article = `trust-pair-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { author: "Ada", email: address })).id);
    const spoof = await post(article, { author: "Site Admin", email: address });
    const otherAddress = await post(article, { author: "Ada", email: email() });
    const ids = await published(article);
    expect(ids).not.toContain(spoof.id);
    expect(ids).not.toContain(otherAddress.id);
  });

  it("answers a returning commenter's comment exactly as a held one: the answer tells a prober nothing", async () => {
    const article = `trust-oracle-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { author: "Ada", email: address })).id);
    const returning = await postComment(article, { author: "Ada", email: address });
    const stranger = await postComment(article, { author: "Ada", email: email() });
    const [a, b] = [await json(returning), await json(stranger)];
    expect([returning.status, a.comment.status]).toEqual([stranger.status, b.comment.status]);
    expect(a.comment.status).toBe("pending");
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(Object.keys(a.comment).sort()).toEqual(Object.keys(b.comment).sort());
    // Published all the same.
    expect(await published(article)).toContain(a.comment.id);
  });

  it.each([
    ["deleted by a moderator", (article: string, id: string) => admin("PATCH", commentPath(article, id), { body: { status: "deleted" } }), 200],
    ["erased by a moderator", (article: string, id: string) => admin("DELETE", commentPath(article, id)), 204],
  ])("is withdrawn when one of the name and address's comments is %s", async (_, remove, expected) => {
    const article = `trust-removed-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { author: "Ada", email: address })).id);
    const spoof = await post(article, { author: "Ada", email: address });
    expect(await published(article)).toContain(spoof.id);
    expect((await remove(article, spoof.id)).status).toBe(expected);
    const next = await post(article, { author: "Ada", email: address });
    expect(await published(article)).not.toContain(next.id);
  });

  it("still holds a trusted commenter's comment with too many links, and strangers' comments", async () => {
    const article = `trust-links-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { email: address })).id);
    expect((await post(article, { email: address, body: "See http://a.example http://b.example http://c.example" })).status).toBe("pending");
    expect((await post(article, { email: email() })).status).toBe("pending");
    expect((await post(article, {})).status).toBe("pending");
  });

  it("is off with TRUST_RETURNING=off", async () => {
    const article = `trust-off-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { email: address })).id);
    expect((await post(article, { email: address }, { env: { TRUST_RETURNING: "off" } })).status).toBe("pending");
  });

  it("is withdrawn when one of the name and address's comments is marked spam", async () => {
    const article = `trust-spam-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { email: address })).id);
    const trusted = await post(article, { email: address });
    expect(await published(article)).toContain(trusted.id);
    expect((await admin("PATCH", commentPath(article, trusted.id), { body: { status: "spam" } })).status).toBe(200);
    const next = await post(article, { email: address });
    expect(await published(article)).not.toContain(next.id);
  });

  it("never stores the email address for it, only a keyed hash", async () => {
    const article = `trust-private-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { email: address })).id);
    const { keys } = await env.PLAUDIT.list({ prefix: "trust:" });
    expect(keys.length).toBeGreaterThan(0);
    for (const { name } of keys) {
      expect(name).not.toContain("example.com");
      expect(await env.PLAUDIT.get(name)).toBe("");
    }
  });

  it("costs one read on a comment with an email, and one read (a write the first time) on an approval", async () => {
    const article = `trust-cost-${crypto.randomUUID()}`;
    const address = email();
    const metered = countingKv(env.PLAUDIT);
    forgetCachedSettings();
    const held = await post(article, { email: address }, { env: { PLAUDIT: metered.kv } });
    // The block list (1 read, then kept in memory), the duplicate check of older articles' markers (1),
    // the trust check (1) and the thread head on the writer's first use of the article (1); queue
    // entry and comment (the writer keeps the duplicate check itself: no marker).
    expect(metered.counts).toEqual({ reads: 4, writes: 2, deletes: 0, lists: 0 });
    metered.reset();
    const approval = await admin("PATCH", commentPath(article, held.id), { body: { status: "approved" }, env: { PLAUDIT: metered.kv } });
    expect(approval.status).toBe(200);
    const firstApproval = { ...metered.counts };
    metered.reset();
    const again = await post(article, { email: address }, { env: { PLAUDIT: metered.kv } });
    expect(await published(article)).toContain(again.id);
    metered.reset();
    await admin("PATCH", commentPath(article, again.id), { body: { status: "pending" }, env: { PLAUDIT: metered.kv } });
    metered.reset();
    await admin("PATCH", commentPath(article, again.id), { body: { status: "approved" }, env: { PLAUDIT: metered.kv } });
    // Approving again reads the mark and finds it: no second write for it.
    expect(metered.counts.writes).toBe(firstApproval.writes - 1);
  });
});
