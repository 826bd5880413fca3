import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { allFeedback, feedbackKey } from "../../worker/feedback/store";
import { forgetCachedSettings } from "../../worker/settings/store";
import { countingKv } from "./support/kv";
import { admin, articlePath, call, errorCode, freshIp, freshVoter, json, kvSettles, vote } from "./support/api";

function sendFeedback(article: string, voter: string, body: unknown, options: { ip?: string; env?: Partial<Env> } = {}) {
  return call("POST", articlePath(article, "/feedback"), { ...options, body: { voter, body } });
}

type Listed = { id: string; article: string; rating: number; body: string; createdAt: string };

describe("private feedback on low ratings", () => {
  it("takes what a 1- or 2-star voter says could be better, for moderators only", async () => {
    const article = `feedback-${crypto.randomUUID()}`;
    const voter = freshVoter();
    expect((await vote(article, voter, 2)).status).toBe(200);
    const response = await sendFeedback(article, voter, "  The recipe skips\nthe oven temperature. ");
    expect(response.status).toBe(201);
    // The moderator's list is a KV list(), a minute behind the write at most.
    kvSettles();
    const { feedback } = await json<{ feedback: Listed[] }>(await admin("GET", "/feedback?limit=100"));
    const mine = feedback.find((entry) => entry.article === article)!;
    expect(mine).toMatchObject({ rating: 2, body: "The recipe skips\nthe oven temperature.", createdAt: expect.any(String) });
    // Never public: not in the article's response.
    expect(JSON.stringify(await json(await call("GET", articlePath(article))))).not.toContain("oven temperature");
    // Nor is the voter token kept.
    const stored = [];
    for await (const entry of allFeedback(env.PLAUDIT)) stored.push(entry);
    expect(JSON.stringify(stored)).not.toContain(voter);
  });

  it("refuses feedback from a voter who did not rate low, or did not vote", async () => {
    const article = `feedback-refused-${crypto.randomUUID()}`;
    const happy = freshVoter();
    await vote(article, happy, 4);
    expect(await errorCode(await sendFeedback(article, happy, "Great!"))).toBe("feedback_not_asked");
    expect(await errorCode(await sendFeedback(article, freshVoter(), "Drive-by."))).toBe("feedback_not_asked");
    // The threshold is a setting; 0 turns feedback off.
    expect((await sendFeedback(article, happy, "Could be better.", { env: { FEEDBACK_MAX_STARS: "4" } })).status).toBe(201);
    expect(await errorCode(await sendFeedback(article, happy, "Again.", { env: { FEEDBACK_MAX_STARS: "0" } }))).toBe("feedback_off");
  });

  it("validates the body", async () => {
    const article = `feedback-invalid-${crypto.randomUUID()}`;
    const voter = freshVoter();
    await vote(article, voter, 1);
    for (const body of ["", "   ", "x".repeat(1001), 42]) {
      const response = await sendFeedback(article, voter, body);
      expect(response.status).toBe(400);
      expect((await json(response)).error).toMatchObject({ code: "invalid_feedback", field: "body" });
    }
    expect(await errorCode(await call("POST", articlePath(article, "/feedback"), { body: { voter: "short", body: "x" } }))).toBe("invalid_voter");
  });

  it("is rate-limited like comments: a client's write allowance", async () => {
    const article = `feedback-limited-${crypto.randomUUID()}`;
    const ip = freshIp();
    const voter = freshVoter();
    await vote(article, voter, 1, { ip: freshIp() });
    // The allowance counts per minute, and under KV's real write gap the sends take seconds: start
    // with time to spare, so the minute cannot turn while they go in.
    const leftInMinute = 60_000 - (Date.now() % 60_000);
    if (leftInMinute < 25_000) await new Promise((resolve) => setTimeout(resolve, leftInMinute + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await sendFeedback(article, voter, `Point ${i}.`, { ip })).status);
    expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);
    expect(statuses).toContain(429);
  });

  it("can be deleted, and costs three reads and a write to send", async () => {
    const article = `feedback-delete-${crypto.randomUUID()}`;
    const voter = freshVoter();
    await vote(article, voter, 1);
    const metered = countingKv(env.PLAUDIT);
    forgetCachedSettings();
    expect((await sendFeedback(article, voter, "Too short.", { env: { PLAUDIT: metered.kv } })).status).toBe(201);
    // The vote, the article's reset time and the block list (kept in memory 30 s); the answer.
    expect(metered.counts).toEqual({ reads: 3, writes: 1, deletes: 0, lists: 0 });
    kvSettles();
    const { feedback } = await json<{ feedback: Listed[] }>(await admin("GET", "/feedback?limit=100"));
    const mine = feedback.find((entry) => entry.article === article)!;
    expect((await admin("DELETE", `/feedback/${mine.id}`)).status).toBe(204);
    const after = await json<{ feedback: Listed[] }>(await admin("GET", "/feedback?limit=100"));
    expect(after.feedback.some((entry) => entry.id === mine.id)).toBe(false);
    expect(await errorCode(await admin("DELETE", "/feedback/nope"))).toBe("feedback_not_found");
    expect((await call("GET", "/api/v1/admin/feedback")).status).toBe(401);
  });

  it("is included in the NDJSON export, with the voter as its HMAC", async () => {
    const article = `feedback-export-${crypto.randomUUID()}`;
    const voter = freshVoter();
    await vote(article, voter, 1);
    expect((await sendFeedback(article, voter, "Export me.")).status).toBe(201);
    kvSettles();
    const response = await admin("GET", "/export");
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\n").map((line) => JSON.parse(line));
    expect(lines[0].type).toBe("export");
    const mine = lines.find((line) => line.type === "feedback" && line.article === article);
    expect(mine).toMatchObject({ rating: 1, body: "Export me.", voter: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    expect(JSON.stringify(lines)).not.toContain(voter);
    // Votes are there too: the export as before, feedback after it.
    expect(lines.some((line) => line.type === "vote" && line.article === article)).toBe(true);
  });

  it("keeps one answer per voter per article: a new one replaces the last, from any address", async () => {
    const article = `feedback-once-${crypto.randomUUID()}`;
    const voter = freshVoter();
    await vote(article, voter, 1);
    for (let i = 0; i < 12; i++) expect((await sendFeedback(article, voter, `Same complaint, take ${i}.`, { ip: freshIp() })).status).toBe(201);
    const other = freshVoter();
    await vote(article, other, 2);
    expect((await sendFeedback(article, other, "Another reader's view.")).status).toBe(201);
    kvSettles();
    const { feedback } = await json<{ feedback: Listed[] }>(await admin("GET", "/feedback?limit=100"));
    const mine = feedback.filter((entry) => entry.article === article);
    // Newest first.
    expect(mine.map((entry) => entry.body)).toEqual(["Another reader's view.", "Same complaint, take 11."]);
  });

  it("is no longer asked of a vote cast before the article's rating was reset", async () => {
    const article = `feedback-reset-${crypto.randomUUID()}`;
    const voter = freshVoter();
    await vote(article, voter, 1);
    expect((await sendFeedback(article, voter, "Before the reset.")).status).toBe(201);
    expect((await admin("DELETE", `/articles/${encodeURIComponent(article)}/votes`)).status).toBe(204);
    expect(await errorCode(await sendFeedback(article, voter, "After the reset."))).toBe("feedback_not_asked");
    // Voting again after the reset asks again.
    expect((await vote(article, voter, 2)).status).toBe(200);
    expect((await sendFeedback(article, voter, "Voted again.")).status).toBe(201);
  });

  it("keeps nothing from a block-listed sender or text, and tells them no more than anyone", async () => {
    const article = `feedback-blocked-${crypto.randomUUID()}`;
    const ip = freshIp();
    const [blockedWord, blockedAddress] = [freshVoter(), freshVoter()];
    await vote(article, blockedWord, 1);
    await vote(article, blockedAddress, 1, { ip });
    // The sender's address joins the block list through one of their comments.
    const comment = await json(await call("POST", articlePath(article, "/comments"), { ip, body: { author: "Troll", body: "A comment to block its author by." } }));
    expect((await admin("POST", `/comments/${encodeURIComponent(article)}/${comment.comment.id}/block`)).status).toBe(200);
    const { blockList } = await json(await admin("GET", "/settings"));
    expect((await admin("PUT", "/settings", { body: { blockList: { ...blockList, words: ["casino"] } } })).status).toBe(200);
    try {
      expect((await sendFeedback(article, blockedWord, "Visit my c\u0430sino instead.")).status).toBe(201);
      expect((await sendFeedback(article, blockedAddress, "Harmless words, blocked sender.", { ip })).status).toBe(201);
      kvSettles();
      const { feedback } = await json<{ feedback: Listed[] }>(await admin("GET", "/feedback?limit=100"));
      expect(feedback.filter((entry) => entry.article === article)).toEqual([]);
    } finally {
      await admin("PUT", "/settings", { body: { blockList: { words: [], emails: [], domains: [], addresses: [] } } });
    }
  });

  it("can be deleted in bulk from /admin, up to 100 answers a request, older keys too", async () => {
    const article = `feedback-bulk-${crypto.randomUUID()}`;
    const voters = Array.from({ length: 3 }, freshVoter);
    for (const voter of voters) {
      await vote(article, voter, 1);
      expect((await sendFeedback(article, voter, `Bulk ${voter}.`)).status).toBe(201);
    }
    // An answer as kept before answers were one per voter (newest-first key).
    const legacyId = `${String(9_999_999_999_999 - Date.now()).padStart(13, "0")}.${"a".repeat(22)}.abcdefghij`;
    await env.PLAUDIT.put(feedbackKey(legacyId), JSON.stringify({ id: legacyId, article, rating: 1, body: "Legacy.", createdAt: Date.now(), voter: "b".repeat(22) }));
    kvSettles();
    const listed = (await json<{ feedback: Listed[] }>(await admin("GET", "/feedback?limit=100"))).feedback.filter((entry) => entry.article === article);
    expect(listed).toHaveLength(4);
    const ids = listed.map((entry) => entry.id);

    for (const [body, field] of [[{ ids: [] }, "ids"], [{ ids: ["nope"] }, "ids"], [{ ids: Array(101).fill(ids[0]) }, "ids"], [{}, "ids"]] as const) {
      const refused = await admin("POST", "/feedback/delete", { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect((await json(refused)).error).toMatchObject({ code: "invalid_ids", field });
    }
    expect((await call("POST", "/api/v1/admin/feedback/delete", { body: { ids } })).status).toBe(401);

    const response = await admin("POST", "/feedback/delete", { body: { ids: [...ids, ids[0]] } });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ deleted: 4 });
    kvSettles();
    const after = (await json<{ feedback: Listed[] }>(await admin("GET", "/feedback?limit=100"))).feedback;
    expect(after.filter((entry) => entry.article === article)).toEqual([]);
    expect((await admin("GET", "/feedback/delete")).status).toBe(405);
  });
});
