import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingKv } from "./support/kv";
import { TEST_SECRETS } from "../secrets";
import { admin, articlePath, call, commentPath, errorCode, freshVoter, json, kvSettles, postComment, publish, expectRating, readRating, runCron, vote } from "./support/api";

type Listed = { id: string; article: string; status: string; email: string | null; createdAt: string; body: string };

async function pending(article: string, input: Record<string, unknown> = {}) {
  const response = await postComment(article, input);
  expect(response.status).toBe(201);
  return (await json<{ comment: { id: string } }>(response)).comment.id;
}

async function publicCount(article: string) {
  return (await json(await call("GET", articlePath(article)))).comments.count as number;
}

describe("admin authentication", () => {
  it("is closed (503 admin_disabled) when ADMIN_TOKEN is unset or empty", async () => {
    for (const token of ["", "   ", undefined]) {
      const response = await admin("GET", "/comments", { env: { ADMIN_TOKEN: token as string } });
      expect(response.status).toBe(503);
      expect(await errorCode(response)).toBe("admin_disabled");
    }
  });

  it.each([
    ["no header", {}],
    ["a wrong token", { Authorization: "Bearer wrong-token" }],
    ["an almost-right token", { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN.slice(0, -1)}x` }],
    ["the token with a suffix", { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}x` }],
    ["another scheme", { Authorization: `Basic ${TEST_SECRETS.ADMIN_TOKEN}` }],
    ["a malformed header", { Authorization: "Bearer" }],
  ])("answers 401 for %s", async (_, headers) => {
    const response = await call("GET", "/api/v1/admin/comments", { headers });
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("unauthorized");
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  });

  it("guards every admin route", async () => {
    for (const [method, path] of [["GET", "/counts"], ["GET", "/export"], ["DELETE", "/articles/x/votes"], ["PATCH", commentPath("x", "zzzzzzzzzzzzzzzzzzz")]] as const) {
      expect((await call(method, `/api/v1/admin${path}`)).status, path).toBe(401);
    }
  });
});

describe("moderation", () => {
  it("lists pending comments newest first across articles, with article, status, email and time", async () => {
    const older = await pending("queue-a", { email: "older@example.com" });
    const newer = await pending("queue-b");
    kvSettles();
    const { comments } = await json<{ comments: Listed[] }>(await admin("GET", "/comments?status=pending&limit=100"));
    const ids = comments.map((c) => c.id);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    expect(comments.find((c) => c.id === older)).toMatchObject({ article: "queue-a", status: "pending", email: "older@example.com", createdAt: expect.any(String) });
  });

  it("shows what a pending reply answers", async () => {
    const { comment: parent } = await publish("reply-context", { author: "Olu", body: "The original point." });
    const reply = await pending("reply-context", { parentId: parent.id });
    kvSettles();
    const { comments } = await json<{ comments: (Listed & { replyTo?: unknown })[] }>(await admin("GET", "/comments?article=reply-context"));
    expect(comments.find((c) => c.id === reply)?.replyTo).toEqual({ id: parent.id, author: "Olu", excerpt: "The original point." });
  });

  it("pages the queue with a cursor", async () => {
    for (let i = 0; i < 3; i += 1) await pending(`queue-page-${i}`);
    kvSettles();
    const first = await json<{ comments: Listed[]; cursor: string | null }>(await admin("GET", "/comments?limit=2"));
    expect(first.comments).toHaveLength(2);
    expect(first.cursor).toEqual(expect.any(String));
    const second = await json<{ comments: Listed[] }>(await admin("GET", `/comments?limit=2&cursor=${encodeURIComponent(first.cursor!)}`));
    expect(second.comments.map((c) => c.id)).not.toContain(first.comments[0]!.id);
  });

  it("filters by article", async () => {
    const mine = await pending("filter-me");
    await pending("filter-other");
    kvSettles();
    const { comments } = await json<{ comments: Listed[] }>(await admin("GET", "/comments?article=filter-me"));
    expect(comments.map((c) => c.id)).toEqual([mine]);
  });

  it("approves a comment: it appears publicly and leaves the pending queue", async () => {
    const id = await pending("approve-me");
    const response = await admin("PATCH", commentPath("approve-me", id), { body: { status: "approved" } });
    expect(response.status).toBe(200);
    expect((await json(response)).comment).toMatchObject({ id, status: "approved" });
    expect(await publicCount("approve-me")).toBe(1);
    kvSettles();
    const queue = await json<{ comments: Listed[] }>(await admin("GET", "/comments?status=pending&article=approve-me"));
    expect(queue.comments).toEqual([]);
    const approved = await json<{ comments: Listed[] }>(await admin("GET", "/comments?status=approved&limit=100"));
    expect(approved.comments.map((c) => c.id)).toContain(id);
  });

  it("marks spam and edits bodies; an unpublished comment leaves the thread", async () => {
    const { comment } = await publish("spam-me");
    await admin("PATCH", commentPath("spam-me", comment.id), { body: { body: "Edited by a moderator" } });
    expect((await json(await call("GET", articlePath("spam-me")))).comments.items[0]).toMatchObject({ body: "Edited by a moderator", editedAt: expect.any(String) });
    await admin("PATCH", commentPath("spam-me", comment.id), { body: { status: "spam" } });
    expect(await publicCount("spam-me")).toBe(0);
  });

  it("labels a moderator's edit as the moderator's, until the author edits again", async () => {
    const { comment, editToken } = await publish("edited-by");
    const first = async () => (await json(await call("GET", articlePath("edited-by")))).comments.items[0];
    const moderated = await json(await admin("PATCH", commentPath("edited-by", comment.id), { body: { body: "Trimmed by a moderator" } }));
    expect(moderated.comment).toMatchObject({ body: "Trimmed by a moderator", editedBy: "moderator" });
    expect(await first()).toMatchObject({ body: "Trimmed by a moderator", editedAt: expect.any(String), editedBy: "moderator" });
    // A status change alone keeps the mark: the words are still the moderator's.
    await admin("PATCH", commentPath("edited-by", comment.id), { body: { status: "approved" } });
    expect(await first()).toMatchObject({ editedBy: "moderator" });

    const authored = await call("PATCH", articlePath("edited-by", `/comments/${comment.id}`), { body: { editToken, body: "The author's own words again" }, env: { MODERATION: "post" } });
    expect(authored.status).toBe(200);
    expect(await first()).toMatchObject({ body: "The author's own words again", editedAt: expect.any(String) });
    expect(await first()).not.toHaveProperty("editedBy");
  });

  it("deletes for good with 204, including from exports", async () => {
    const { comment } = await publish("erase-me", { body: "please forget me entirely" });
    const response = await admin("DELETE", commentPath("erase-me", comment.id));
    expect(response.status).toBe(204);
    expect(await publicCount("erase-me")).toBe(0);
    expect((await admin("DELETE", commentPath("erase-me", comment.id))).status).toBe(404);
    expect(await (await admin("GET", "/export")).text()).not.toContain("please forget me entirely");
  });

  it("rejects bad moderation input", async () => {
    const id = await pending("bad-moderation");
    const badStatus = await admin("PATCH", commentPath("bad-moderation", id), { body: { status: "published" } });
    expect([badStatus.status, await errorCode(badStatus)]).toEqual([400, "invalid_status"]);
    const empty = await admin("PATCH", commentPath("bad-moderation", id), { body: {} });
    expect(empty.status).toBe(400);
    const unknown = await admin("PATCH", commentPath("bad-moderation", "zzzzzzzzzzzzzzzzzzz"), { body: { status: "approved" } });
    expect(unknown.status).toBe(404);
    expect((await admin("GET", "/comments?status=nope")).status).toBe(400);
    expect((await admin("GET", "/comments?limit=500")).status).toBe(400);
  });

  it("counts comments per status", async () => {
    kvSettles();
    const before = (await json(await admin("GET", "/counts"))).comments;
    const id = await pending("count-me");
    await admin("PATCH", commentPath("count-me", id), { body: { status: "spam" } });
    kvSettles();
    const after = (await json(await admin("GET", "/counts"))).comments;
    expect(after.spam).toBe(before.spam + 1);
    expect(after.pending).toBe(before.pending);
  });

  it("counts exactly past 1,000 (a restore can be checked), without a KV operation per /admin load", async () => {
    const before = (await json(await admin("GET", "/counts"))).comments;
    const restored = Array.from({ length: 1001 }, (_, i) => ({
      type: "comment",
      source: "wordpress",
      sourceId: `restore-count-${i}`,
      article: `restore-count-${i % 7}`,
      author: "Ada",
      body: `Restored comment number ${i}`,
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      status: "approved",
    }));
    for (let start = 0; start < restored.length; start += 200) {
      const raw = restored.slice(start, start + 200).map((record) => JSON.stringify(record)).join("\n");
      expect((await admin("POST", "/import", { raw, headers: { "Content-Type": "application/x-ndjson" } })).status).toBe(200);
    }
    const id = await pending("restore-count-new");
    expect((await admin("PATCH", commentPath("restore-count-new", id), { body: { status: "approved" } })).status).toBe(200);
    const metered = countingKv(env.PLAUDIT);
    const body = await json(await admin("GET", "/counts", { env: { PLAUDIT: metered.kv } }));
    expect(body.comments).toEqual({ ...before, approved: before.approved + 1002 });
    expect(metered.counts).toEqual({ reads: 0, writes: 0, deletes: 0, lists: 0 });
    // Erased for good, it leaves the count too.
    expect((await admin("DELETE", commentPath("restore-count-new", id))).status).toBe(204);
    expect((await json(await admin("GET", "/counts"))).comments).toEqual({ ...before, approved: before.approved + 1001 });
  });
});

describe("ratings reset and export", () => {
  it("resets an article's rating with 204", async () => {
    for (const stars of [5, 4, 1]) await vote("reset-me", freshVoter(), stars);
    expect((await admin("DELETE", "/articles/reset-me/votes")).status).toBe(204);
    await expectRating("reset-me", { count: 0, sum: 0 });
    expect((await vote("reset-me", freshVoter(), 3)).status).toBe(200);
    await runCron({ sweep: true });
    await expectRating("reset-me", { count: 1, sum: 3 });
    const exported = (await (await admin("GET", "/export")).text()).trim().split("\n").map((line) => JSON.parse(line));
    expect(exported.filter((line) => line.type === "vote" && line.article === "reset-me").map((line) => line.rating)).toEqual([3]);
  });

  it("exports every vote (hashed voter) and comment as NDJSON, without edit tokens", async () => {
    const voter = freshVoter();
    await vote("export-me", voter, 4);
    const { editToken } = await publish("export-me", { body: "exported words", email: "exported@example.com" });
    kvSettles();
    const response = await admin("GET", "/export");
    expect(response.headers.get("Content-Type")).toContain("application/x-ndjson");
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="plaudit-export-/);
    const text = await response.text();
    const lines = text.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: "export", version: 1 });
    expect(lines).toContainEqual(expect.objectContaining({ type: "vote", article: "export-me", rating: 4 }));
    expect(lines).toContainEqual(expect.objectContaining({ type: "comment", article: "export-me", body: "exported words", email: "exported@example.com", status: "approved" }));
    expect(text).not.toContain(voter);
    expect(text).not.toContain(editToken);
    expect(text).not.toContain("editTokenHash");
  });
});

describe("ratings list", () => {
  type Listed = { article: string; rating: { count: number; average: number }; updatedAt: string };
  type Page = { ratings: Listed[]; cursor: string | null; scan: { aggregates: number; limit: number; complete: boolean } };

  it("lists rated articles by most votes or most recent, with names, paged, and says what it scanned", async () => {
    for (const stars of [5, 4, 3]) await vote("list/most-votes", freshVoter(), stars);
    await vote("list/one-vote", freshVoter(), 2);
    await runCron({ sweep: true });
    // The list reads the aggregates' list metadata, a minute behind the cron's recount.
    kvSettles();

    const byVotes = await json<Page>(await admin("GET", "/ratings?sort=votes"));
    const counts = byVotes.ratings.map((entry) => entry.rating.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const names = byVotes.ratings.map((entry) => entry.article);
    expect(names.indexOf("list/most-votes")).toBeLessThan(names.indexOf("list/one-vote"));
    expect(byVotes.ratings.find((entry) => entry.article === "list/most-votes")).toMatchObject({ rating: { count: 3, average: 4 } });
    expect(byVotes.scan).toEqual({ aggregates: byVotes.ratings.length, limit: 5000, complete: true });

    const byRecent = await json<Page>(await admin("GET", "/ratings?sort=recent"));
    const times = byRecent.ratings.map((entry) => Date.parse(entry.updatedAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(byRecent.ratings.map((entry) => entry.article)).toEqual(expect.arrayContaining(["list/most-votes", "list/one-vote"]));

    const first = await json<Page>(await admin("GET", "/ratings?sort=votes&limit=1"));
    expect(first.ratings).toEqual([byVotes.ratings[0]]);
    const second = await json<Page>(await admin("GET", `/ratings?sort=votes&limit=1&cursor=${first.cursor}`));
    expect(second.ratings).toEqual([byVotes.ratings[1]]);
  });

  it("rejects a bad sort, limit or cursor with a clear 400", async () => {
    expect(await errorCode(await admin("GET", "/ratings?sort=best"))).toBe("invalid_sort");
    expect(await errorCode(await admin("GET", "/ratings?limit=0"))).toBe("invalid_limit");
    expect(await errorCode(await admin("GET", "/ratings?cursor=-3"))).toBe("invalid_cursor");
    expect((await call("GET", "/api/v1/admin/ratings")).status).toBe(401);
  });
});
