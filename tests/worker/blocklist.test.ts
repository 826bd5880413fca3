import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { forgetCachedSettings, SETTINGS_CACHE_MS } from "../../worker/settings/store";
import { countingKv } from "./support/kv";
import { admin, articlePath, call, commentPath, errorCode, freshIp, json, kvSettles, postComment } from "./support/api";

const empty = { words: [], emails: [], domains: [], addresses: [] };

async function saveBlockList(blockList: Record<string, unknown>) {
  const response = await admin("PUT", "/settings", { body: { blockList: { ...empty, ...blockList } } });
  expect(response.status).toBe(200);
  return (await json(response)).blockList;
}

/** Where the moderator finds the comment once the queue's lists have caught up with the post. */
async function statusInQueue(article: string, id: string) {
  kvSettles();
  for (const status of ["pending", "approved", "spam"]) {
    const { comments } = await json(await admin("GET", `/comments?status=${status}&article=${encodeURIComponent(article)}`));
    if (comments.some((c: { id: string }) => c.id === id)) return status;
  }
  return "missing";
}

afterEach(async () => {
  await admin("PUT", "/settings", { body: { blockList: empty } });
});

describe("the block list", () => {
  it("starts empty, and saves what the moderator enters, tidied", async () => {
    expect(await json(await admin("GET", "/settings"))).toEqual({ blockList: empty });
    const saved = await saveBlockList({ words: ["  buy now ", "", "buy now"], emails: ["Spammer@Example.COM"], domains: ["https://www.Spam.example/path?q", "spam.example"] });
    expect(saved).toEqual({ words: ["buy now"], emails: ["spammer@example.com"], domains: ["spam.example"], addresses: [] });
    expect((await json(await admin("GET", "/settings"))).blockList).toEqual(saved);
  });

  it.each([
    ["a phrase, as whole words in any case", { words: ["cheap pills"] }, { body: "Get CHEAP   pills here." }],
    ["a phrase in the name", { words: ["casino"] }, { author: "Best Casino" }],
    ["an email address", { emails: ["bad@example.com"] }, { email: "Bad@Example.com" }],
    ["every address at a domain", { emails: ["@spam.example"] }, { email: "anyone@spam.example" }],
    ["every address at a domain's subdomains", { emails: ["@spam.example"] }, { email: "anyone@mail.spam.example" }],
    ["a word split by a zero-width space", { words: ["casino"] }, { body: "Play at our ca\u200bsino tonight." }],
    ["a word split by a soft hyphen", { words: ["casino"] }, { body: "Play at our ca\u00adsino tonight." }],
    ["a word with a Cyrillic look-alike letter", { words: ["casino"] }, { body: "Play at our c\u0430sino tonight." }],
    ["a word with a combining accent", { words: ["casino"] }, { body: "Play at our ca\u0301sino tonight." }],
    ["a word in full-width or styled letters", { words: ["casino"] }, { author: "\uff23\uff41\uff53\uff49\uff4e\uff4f King" }],
    ["a word with a Hangul filler inside", { words: ["casino"] }, { body: "Play at our cas\u3164ino tonight." }],
    ["a link domain in the text, subdomains too", { domains: ["spam.example"] }, { body: "Visit https://shop.spam.example/deal now" }],
    ["a link domain as the website", { domains: ["spam.example"] }, { website: "https://spam.example/" }],
  ])("sends to spam a comment matching %s, telling the poster no more than 'pending'", async (_, blockList, input) => {
    await saveBlockList(blockList);
    const article = `block-${crypto.randomUUID()}`;
    const response = await postComment(article, input, { env: { MODERATION: "post" } });
    expect(response.status).toBe(201);
    const { comment } = await json(response);
    expect(comment.status).toBe("pending");
    expect(await statusInQueue(article, comment.id)).toBe("spam");
    expect((await json(await call("GET", articlePath(article)))).comments.count).toBe(0);
  });

  it("leaves alone what only looks like a match", async () => {
    await saveBlockList({ words: ["ass"], emails: ["bad@example.com", "@spam.example"], domains: ["spam.example"] });
    const article = `block-clean-${crypto.randomUUID()}`;
    for (const input of [
      { body: "A classy assessment." },
      { email: "notbad@example.com" },
      { email: "someone@notspam.example" },
      { body: "See https://notspam.example/ and https://spam.example.org/" },
    ]) {
      const { comment } = await json(await postComment(article, input, { env: { MODERATION: "post" } }));
      expect(comment.status, JSON.stringify(input)).toBe("approved");
    }
  });

  it("blocks an author from a comment by what it proves, their network: this comment to spam, trust withdrawn", async () => {
    const article = `block-author-${crypto.randomUUID()}`;
    const ip = freshIp();
    const first = (await json(await postComment(article, { email: "troll@example.com" }, { ip }))).comment;
    expect((await admin("PATCH", commentPath(article, first.id), { body: { status: "approved" } })).status).toBe(200);
    const blocked = await admin("POST", `${commentPath(article, first.id)}/block`);
    expect(blocked.status).toBe(200);
    const { blockList, comment } = await json(blocked);
    expect(comment.status).toBe("spam");
    // Its email is whatever the poster typed: not blocked unless the moderator asks.
    expect(blockList.emails).toEqual([]);
    expect(blockList.addresses).toEqual([{ id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), label: expect.stringContaining(`Ada, on ${article}`) }]);
    expect(JSON.stringify(blockList)).not.toContain(ip);
    expect((await json(await call("GET", articlePath(article)))).comments.count).toBe(0);
    // From the same network with another email: spam. The address's owner elsewhere is not blocked,
    // but waits for a moderator again: the trust went with the block.
    const again = (await json(await postComment(article, { email: "other@example.com" }, { ip, env: { MODERATION: "post" } }))).comment;
    const owner = (await json(await postComment(article, { email: "troll@example.com" }))).comment;
    expect(await statusInQueue(article, again.id)).toBe("spam");
    expect(await statusInQueue(article, owner.id)).toBe("pending");
    expect(await errorCode(await admin("POST", `${commentPath(article, "zzzzzzzzzzzzzzzzzzz")}/block`))).toBe("comment_not_found");
  });

  it("blocks the comment's email too only when the moderator asks, and refuses a malformed request", async () => {
    const article = `block-email-${crypto.randomUUID()}`;
    const first = (await json(await postComment(article, { email: "Spoofed@Example.com" }))).comment;
    for (const body of [{ email: "yes" }, []]) {
      const response = await admin("POST", `${commentPath(article, first.id)}/block`, { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const invalidJson = await admin("POST", `${commentPath(article, first.id)}/block`, { raw: "{", headers: { "Content-Type": "application/json" } });
    expect(await errorCode(invalidJson)).toBe("invalid_json");
    const { blockList } = await json(await admin("POST", `${commentPath(article, first.id)}/block`, { body: { email: true } }));
    expect(blockList.emails).toEqual(["spoofed@example.com"]);
    const elsewhere = (await json(await postComment(article, { email: "spoofed@example.com" }))).comment;
    expect(await statusInQueue(article, elsewhere.id)).toBe("spam");
  });

  it("refuses a malformed block list with 400 invalid_settings", async () => {
    for (const body of [{}, { blockList: [] }, { blockList: { ...empty, words: "spam" } }, { blockList: { ...empty, words: ["x".repeat(101)] } }, { blockList: { ...empty, addresses: [{ id: "not an id!", label: "" }] } }]) {
      const response = await admin("PUT", "/settings", { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await json(response)).error.code).toBe("invalid_settings");
    }
    expect((await call("GET", "/api/v1/admin/settings")).status).toBe(401);
    expect((await admin("DELETE", "/settings")).status).toBe(405);
  });

  it("costs no KV read on a page view, and one read per isolate per 30 s on comment posts", async () => {
    await saveBlockList({ words: ["never-matches-anything"] });
    const article = `block-cost-${crypto.randomUUID()}`;
    await postComment(article);
    const metered = countingKv(env.PLAUDIT);
    await call("GET", articlePath(article), { env: { PLAUDIT: metered.kv } });
    expect(metered.counts.reads).toBe(2);
    metered.reset();
    forgetCachedSettings();
    await postComment(article, {}, { env: { PLAUDIT: metered.kv } });
    // The settings (1) and the duplicate check (1).
    expect(metered.counts.reads).toBe(2);
    metered.reset();
    await postComment(article, {}, { env: { PLAUDIT: metered.kv } });
    expect(metered.counts.reads).toBe(1);
    expect(SETTINGS_CACHE_MS).toBeLessThanOrEqual(30_000);
  });
});
