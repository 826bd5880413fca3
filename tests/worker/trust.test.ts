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
  it("publishes at once, under pre-moderation, a comment whose email has an approved comment", async () => {
    const article = `trust-${crypto.randomUUID()}`;
    const address = email();
    const first = await post(article, { email: address });
    expect(first.status).toBe("pending");
    await approve(article, first.id);
    // Any letter case and surrounding spaces are the same address; other articles too.
    const second = await post(`${article}-other`, { email: `  ${address.toUpperCase()} ` });
    expect(second.status).toBe("approved");
    const { comments } = await json(await call("GET", articlePath(`${article}-other`)));
    expect(comments.items.map((c: { id: string }) => c.id)).toEqual([second.id]);
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

  it("is withdrawn when one of the address's comments is marked spam", async () => {
    const article = `trust-spam-${crypto.randomUUID()}`;
    const address = email();
    await approve(article, (await post(article, { email: address })).id);
    const trusted = await post(article, { email: address });
    expect(trusted.status).toBe("approved");
    expect((await admin("PATCH", commentPath(article, trusted.id), { body: { status: "spam" } })).status).toBe(200);
    expect((await post(article, { email: address })).status).toBe("pending");
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
    expect(again.status).toBe("approved");
    metered.reset();
    await admin("PATCH", commentPath(article, again.id), { body: { status: "pending" }, env: { PLAUDIT: metered.kv } });
    metered.reset();
    await admin("PATCH", commentPath(article, again.id), { body: { status: "approved" }, env: { PLAUDIT: metered.kv } });
    // Approving again reads the mark and finds it: no second write for it.
    expect(metered.counts.writes).toBe(firstApproval.writes - 1);
  });
});
