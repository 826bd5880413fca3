import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import { admin, articlePath, BASE, call, commentPath, errorCode, freshIp, json, kvSettles, publish } from "./support/api";

type Listed = { id: string; body: string; status: string; editedAt: string | null; revision?: { body: string; at: string } };
const post = { MODERATION: "post" };

function edit(article: string, id: string, editToken: string, body: string, settings: Partial<Env> = {}) {
  return call("PATCH", articlePath(article, `/comments/${id}`), { body: { editToken, body }, env: settings });
}

/** What readers see: the page-view head and the paged thread must agree. */
async function published(article: string) {
  const head = (await json(await call("GET", articlePath(article)))).comments;
  const page = await json(await call("GET", articlePath(article, "/comments?cursor=0")));
  expect(page.comments).toEqual(head.items);
  return head.items as { id: string; body: string; editedAt: string | null }[];
}

/** The queue as the moderator finds it, once its lists have caught up with the writes (a minute at most). */
async function listed(status: string, article?: string): Promise<Listed[]> {
  kvSettles();
  const query = article ? `&article=${encodeURIComponent(article)}` : "";
  return (await json(await admin("GET", `/comments?status=${status}&limit=100${query}`))).comments;
}

async function pendingCount(): Promise<number> {
  kvSettles();
  return (await json(await admin("GET", "/counts"))).comments.pending;
}

/** A published comment whose author has just rewritten it under pre-moderation. */
async function baitAndSwitch(article: string) {
  const { comment, editToken } = await publish(article, { body: "A thoughtful, on-topic remark." });
  const response = await edit(article, comment.id, editToken, "BUY CHEAP PILLS https://pills.example");
  return { id: comment.id, editToken, response };
}

describe("under MODERATION=pre, an edit of a published comment is reviewed before it shows", () => {
  it("answers 200 pending, and readers keep seeing the reviewed text", async () => {
    const before = await pendingCount();
    const { id, response } = await baitAndSwitch("bait-public");
    expect(response.status).toBe(200);
    expect((await json(response)).comment).toMatchObject({ id, body: "BUY CHEAP PILLS https://pills.example", status: "pending", editedAt: expect.any(String) });
    expect(await published("bait-public")).toEqual([expect.objectContaining({ id, body: "A thoughtful, on-topic remark.", editedAt: null })]);
    expect(JSON.stringify(await published("bait-public"))).not.toContain("PILLS");
    expect(await pendingCount()).toBe(before + 1);
  });

  it("lists the edit in the pending queue with the old and the new text", async () => {
    const { id } = await baitAndSwitch("bait-queue");
    for (const queue of [await listed("pending"), await listed("pending", "bait-queue")]) {
      expect(queue.find((c) => c.id === id)).toMatchObject({
        status: "approved",
        body: "A thoughtful, on-topic remark.",
        revision: { body: "BUY CHEAP PILLS https://pills.example", at: expect.stringMatching(/^\d{4}-/) },
      });
    }
  });

  it("approving applies the edit and clears it from the queue", async () => {
    const before = await pendingCount();
    const { id } = await baitAndSwitch("bait-approve");
    const response = await admin("PATCH", commentPath("bait-approve", id), { body: { status: "approved" } });
    const { comment } = await json(response);
    expect(comment).toMatchObject({ body: "BUY CHEAP PILLS https://pills.example", status: "approved" });
    expect(comment).not.toHaveProperty("revision");
    expect(await published("bait-approve")).toEqual([expect.objectContaining({ id, body: "BUY CHEAP PILLS https://pills.example", editedAt: expect.any(String) })]);
    expect((await listed("pending", "bait-approve")).map((c) => c.id)).toEqual([]);
    expect((await listed("pending")).map((c) => c.id)).not.toContain(id);
    expect(await pendingCount()).toBe(before);
  });

  it("discarding drops the edit and keeps the published text", async () => {
    const before = await pendingCount();
    const { id } = await baitAndSwitch("bait-discard");
    const response = await admin("PATCH", commentPath("bait-discard", id), { body: { revision: "discard" } });
    expect((await json(response)).comment).toMatchObject({ body: "A thoughtful, on-topic remark.", status: "approved", editedAt: null });
    expect(await published("bait-discard")).toEqual([expect.objectContaining({ id, body: "A thoughtful, on-topic remark." })]);
    expect(await listed("pending", "bait-discard")).toEqual([]);
    expect((await listed("approved", "bait-discard"))[0]).not.toHaveProperty("revision");
    expect(await pendingCount()).toBe(before);
  });

  it("marking spam unpublishes the comment and drops the edit", async () => {
    const { id } = await baitAndSwitch("bait-spam");
    await admin("PATCH", commentPath("bait-spam", id), { body: { status: "spam" } });
    expect(await published("bait-spam")).toEqual([]);
    expect(await listed("pending", "bait-spam")).toEqual([]);
    expect((await listed("pending")).map((c) => c.id)).not.toContain(id);
    expect(await listed("spam", "bait-spam")).toEqual([expect.objectContaining({ id, body: "A thoughtful, on-topic remark." })]);
    expect((await listed("spam", "bait-spam"))[0]).not.toHaveProperty("revision");
  });

  it("a moderator's own text settles the edit too", async () => {
    const { id } = await baitAndSwitch("bait-rewrite");
    await admin("PATCH", commentPath("bait-rewrite", id), { body: { body: "Rewritten by the moderator." } });
    expect(await published("bait-rewrite")).toEqual([expect.objectContaining({ id, body: "Rewritten by the moderator." })]);
    expect(await listed("pending", "bait-rewrite")).toEqual([]);
  });

  it("a second edit replaces the first; editing back to the published text withdraws it", async () => {
    const { id, editToken } = await baitAndSwitch("bait-twice");
    await edit("bait-twice", id, editToken, "Second thoughts, still unreviewed.");
    expect((await listed("pending")).filter((c) => c.id === id).map((c) => c.revision?.body)).toEqual(["Second thoughts, still unreviewed."]);
    const back = await edit("bait-twice", id, editToken, "A thoughtful, on-topic remark.");
    expect((await json(back)).comment).toMatchObject({ status: "approved", body: "A thoughtful, on-topic remark.", editedAt: null });
    expect(await listed("pending", "bait-twice")).toEqual([]);
    expect((await listed("pending")).map((c) => c.id)).not.toContain(id);
  });

  it("deleting, by the author or the moderator, leaves nothing in the queue", async () => {
    const before = await pendingCount();
    const byAuthor = await baitAndSwitch("bait-delete");
    const byModerator = await baitAndSwitch("bait-erase");
    expect(await pendingCount()).toBe(before + 2);
    expect((await call("DELETE", articlePath("bait-delete", `/comments/${byAuthor.id}`), { body: { editToken: byAuthor.editToken } })).status).toBe(204);
    expect((await admin("DELETE", commentPath("bait-erase", byModerator.id))).status).toBe(204);
    expect(await pendingCount()).toBe(before);
    const ids = (await listed("pending")).map((c) => c.id);
    expect(ids).not.toContain(byAuthor.id);
    expect(ids).not.toContain(byModerator.id);
  });

  it("edits a comment that is still pending in place", async () => {
    const response = await call("POST", articlePath("pending-edit", "/comments"), { body: { author: "Ada", body: "First draft." } });
    const { comment, editToken } = await json(response);
    const edited = await edit("pending-edit", comment.id, editToken, "Second draft.");
    expect((await json(edited)).comment).toMatchObject({ status: "pending", body: "Second draft." });
    expect(await listed("pending", "pending-edit")).toEqual([expect.objectContaining({ id: comment.id, body: "Second draft." })]);
    expect((await listed("pending", "pending-edit"))[0]).not.toHaveProperty("revision");
  });

  it("rejects a bad revision action", async () => {
    const { id } = await baitAndSwitch("bait-bad-action");
    const response = await admin("PATCH", commentPath("bait-bad-action", id), { body: { revision: "maybe" } });
    expect([response.status, await errorCode(response)]).toEqual([400, "invalid_status"]);
  });
});

describe("the moderation webhook hears about edits awaiting review", () => {
  afterEach(() => vi.restoreAllMocks());

  it("posts comment.edit_pending with the new text", async () => {
    const { comment, editToken } = await publish("bait-webhook", { body: "Nice and calm." });
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("ok"));
    const waits: Promise<unknown>[] = [];
    const request = new Request(`${BASE}${articlePath("bait-webhook", `/comments/${comment.id}`)}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      body: JSON.stringify({ editToken, body: "Now selling things." }),
    });
    const response = await worker.fetch(request, { ...env, NOTIFY_WEBHOOK_URL: "https://hooks.example/plaudit" }, {
      waitUntil: (promise: Promise<unknown>) => waits.push(promise),
      passThroughOnException: () => {},
      props: {},
    } as unknown as ExecutionContext);
    expect(response.status).toBe(200);
    await Promise.all(waits);
    const payload = JSON.parse(String(fetchSpy.mock.calls[0]![1]?.body));
    expect(payload).toMatchObject({ event: "comment.edit_pending", comment: { id: comment.id, body: "Now selling things." } });
    expect(payload.text).toContain("Edited comment awaiting moderation");
  });
});

describe("under MODERATION=post, edits go through the spam rules of new comments", () => {
  it("an edit adding more than MAX_LINKS links is held, and leaves the thread", async () => {
    const { comment, editToken } = await publish("post-edit-links");
    const response = await edit("post-edit-links", comment.id, editToken, "now https://a.example https://b.example HTTPS://c.example", post);
    expect((await json(response)).comment.status).toBe("pending");
    expect(await published("post-edit-links")).toEqual([]);
  });

  it("an edit copying another comment on the article is 409 duplicate, and changes nothing", async () => {
    await publish("post-edit-dup", { body: "The original words." });
    const { comment, editToken } = await publish("post-edit-dup", { body: "My own words." });
    const response = await edit("post-edit-dup", comment.id, editToken, "the   ORIGINAL words.", post);
    expect([response.status, await errorCode(response)]).toEqual([409, "duplicate"]);
    expect((await published("post-edit-dup")).map((c) => c.body)).toEqual(["The original words.", "My own words."]);
  });

  it("an edit that only changes its own case or spacing is not a duplicate of itself", async () => {
    const { comment, editToken } = await publish("post-edit-self", { body: "my own words" });
    const response = await edit("post-edit-self", comment.id, editToken, "My  own words", post);
    expect(response.status).toBe(200);
    expect((await published("post-edit-self"))[0]).toMatchObject({ body: "My  own words" });
  });

  it("an ordinary edit shows at once", async () => {
    const { comment, editToken } = await publish("post-edit-plain", { body: "Teh typo." });
    expect((await json(await edit("post-edit-plain", comment.id, editToken, "The typo.", post))).comment.status).toBe("approved");
    expect((await published("post-edit-plain"))[0]).toMatchObject({ body: "The typo.", editedAt: expect.any(String) });
  });
});
