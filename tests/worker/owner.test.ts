import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nameSkeleton, isOwnerName } from "../../worker/comments/reserved";
import { countingKv } from "./support/kv";
import { defaultBinding } from "./support/production";
import { admin, articlePath, call, commentPath, errorCode, json, postComment, publish } from "./support/api";

const OWNER = { OWNER_NAME: "Jane Doe" };

function ownerPost(article: string, body: unknown, options: { env?: Partial<Env> } = {}) {
  return admin("POST", `/articles/${encodeURIComponent(article)}/comments`, { body, env: { ...OWNER, ...options.env } });
}

async function thread(article: string) {
  return (await json(await call("GET", articlePath(article)))).comments as { count: number; items: Record<string, unknown>[] };
}

describe("the owner's comments", () => {
  it("publishes a top-level comment at once, signed OWNER_NAME and marked as the owner's", async () => {
    const article = `owner-top-${crypto.randomUUID()}`;
    const response = await ownerPost(article, { body: "Thanks for reading, everyone." });
    expect(response.status).toBe(201);
    const { comment } = await json(response);
    expect(comment).toMatchObject({ author: "Jane Doe", owner: true, status: "approved", parentId: null, email: null, website: null });
    const { count, items } = await thread(article);
    expect(count).toBe(1);
    expect(items[0]).toMatchObject({ id: comment.id, author: "Jane Doe", owner: true, body: "Thanks for reading, everyone." });
    // Public fields only: nothing about the owner's status or secrets.
    expect(Object.keys(items[0]!).sort()).toEqual(["author", "body", "createdAt", "editedAt", "id", "owner", "parentId", "website"]);
  });

  it("replies to a published comment; a reader's comment carries no owner mark", async () => {
    const article = `owner-reply-${crypto.randomUUID()}`;
    const { comment: question } = await publish(article, { author: "Ada", body: "Which saddle was it?" });
    const { comment: reply } = await json(await ownerPost(article, { body: "A Brooks B17.", parentId: question.id }));
    const { items } = await thread(article);
    expect(items.map((item) => [item.author, item.parentId, item.owner])).toEqual([
      ["Ada", null, undefined],
      ["Jane Doe", question.id, true],
    ]);
    expect(items[1]!.id).toBe(reply.id);
  });

  it("signs as 'Site owner' when OWNER_NAME is not set", async () => {
    const { comment } = await json(await ownerPost(`owner-default-${crypto.randomUUID()}`, { body: "Hello." }, { env: { OWNER_NAME: "" } }));
    expect(comment.author).toBe("Site owner");
  });

  it("approves a pending comment it replies to, with one thread write for both", async () => {
    const article = `owner-pending-parent-${crypto.randomUUID()}`;
    const held = (await json(await postComment(article, { body: "Is this thing on?", email: `asker-${crypto.randomUUID()}@example.com` }))).comment.id as string;
    const metered = countingKv(defaultBinding());
    const response = await ownerPost(article, { body: "It is!", parentId: held }, { env: { PLAUDIT: metered.kv } });
    expect(response.status).toBe(201);
    const { comment, approvedParent } = await json(response);
    expect(approvedParent).toMatchObject({ id: held, status: "approved" });
    const { count, items } = await thread(article);
    expect(count).toBe(2);
    expect(items.map((item) => [item.id, item.parentId])).toEqual([
      [held, null],
      [comment.id, held],
    ]);
    // The head once for both (a second write in the same second would be refused in production):
    // each comment and its queue entry (4), the head (1), the asker's trust (1). The article's writer
    // keeps the duplicate check itself: no marker.
    expect(metered.counts.writes).toBe(6);
    expect(metered.counts.deletes).toBe(1);
  });

  it("refuses a reply to a comment that is spam, deleted or not there", async () => {
    const article = `owner-bad-parent-${crypto.randomUUID()}`;
    const spam = (await json(await postComment(article))).comment.id as string;
    expect((await admin("PATCH", commentPath(article, spam), { body: { status: "spam" } })).status).toBe(200);
    for (const parentId of [spam, "zzzzzzzzzzzzzzzzzzz", "not-an-id"]) {
      const response = await ownerPost(article, { body: "Replying.", parentId });
      expect(response.status, parentId).toBe(400);
      expect((await json(response)).error).toMatchObject({ code: "invalid_comment", field: "parentId" });
    }
    expect((await thread(article)).count).toBe(0);
  });

  it("validates the body like a reader's, and needs the admin token", async () => {
    const article = `owner-invalid-${crypto.randomUUID()}`;
    for (const body of [{}, { body: "" }, { body: "x".repeat(5001) }, { body: 42 }]) {
      const response = await ownerPost(article, body);
      expect(response.status).toBe(400);
      expect((await json(response)).error).toMatchObject({ code: "invalid_comment", field: "body" });
    }
    const anonymous = await call("POST", `/api/v1/admin/articles/${article}/comments`, { body: { body: "Hi" } });
    expect(anonymous.status).toBe(401);
    expect((await admin("GET", `/articles/${article}/comments`)).status).toBe(405);
    const twice = await ownerPost(article, { body: "Only once." });
    expect(twice.status).toBe(201);
    expect(await errorCode(await ownerPost(article, { body: "only  ONCE." }))).toBe("duplicate");
  });

  it("costs what publishing a reader's comment costs, whatever the thread's size", async () => {
    const article = `owner-cost-${crypto.randomUUID()}`;
    const metered = countingKv(defaultBinding());
    expect((await ownerPost(article, { body: "Cheap." }, { env: { PLAUDIT: metered.kv } })).status).toBe(201);
    // The duplicate check of older articles' markers (1 read), the head on the writer's first use of
    // the article (1 read); queue entry, comment, head (3 writes).
    expect(metered.counts).toEqual({ reads: 2, writes: 3, deletes: 0, lists: 0 });
  });

  it("can be edited and removed in the moderation API like any comment, keeping its mark", async () => {
    const article = `owner-edit-${crypto.randomUUID()}`;
    const { comment } = await json(await ownerPost(article, { body: "Typo hre." }));
    const edited = await admin("PATCH", commentPath(article, comment.id), { body: { body: "Typo here." } });
    expect((await json(edited)).comment).toMatchObject({ owner: true, body: "Typo here." });
    expect((await thread(article)).items[0]).toMatchObject({ owner: true, body: "Typo here." });
  });
});

describe("the owner's name is reserved", () => {
  it.each(["Jane Doe", "jane doe", "JaneDoe", "  jane   DOE ", "Jane-Doe", "J4ne D0e", "Ｊａｎｅ Ｄｏｅ", "Jаne Dоe" /* Cyrillic а, о */, "Jäne Doé", "Jane\u200bDoe"])(
    "refuses %j with 400 reserved_name on the author field",
    async (author) => {
      const response = await postComment(`reserved-${crypto.randomUUID()}`, { author }, { env: OWNER });
      expect(response.status).toBe(400);
      const { error } = await json(response);
      expect(error).toMatchObject({ code: "reserved_name", field: "author" });
    },
  );

  it.each(["Jane", "Jane Doerr", "John Doe", "Dane Joe"])("lets %j post", async (author) => {
    expect((await postComment(`reserved-ok-${crypto.randomUUID()}`, { author }, { env: OWNER })).status).toBe(201);
  });

  it("reserves the default name when OWNER_NAME is unset", async () => {
    expect(await errorCode(await postComment(`reserved-default-${crypto.randomUUID()}`, { author: "site OWNER" }, { env: { OWNER_NAME: "" } }))).toBe("reserved_name");
  });

  it("compares names by what they look like", async () => {
    expect(await nameSkeleton("Ｍr. Smith")).toBe(await nameSkeleton("mr smith"));
    expect(await nameSkeleton("rnoon")).toBe(await nameSkeleton("moon"));
    expect(await isOwnerName("anyone", "")).toBe(false);
    expect(await isOwnerName("Ali", "All")).toBe(true);
  });

  // Each renders like "Site owner" (or its capitals) in a browser; none is in a hand-made list.
  it.each([
    ["Armenian o (U+0585)", "Site \u0585wner"],
    ["a Hangul filler after it (U+3164)", "Site owner\u3164"],
    ["a half-width Hangul filler (U+FFA0)", "Site owner\uFFA0"],
    ["Hangul choseong and jungseong fillers (U+115F, U+1160)", "\u115FSite\u1160 owner"],
    ["a word joiner and a variation selector", "Site\u2060 own\uFE0Fer"],
    ["Greek capital Nu in capitals", "SITE OW\u039DER"],
    ["Cherokee and Greek capitals", "\u13DAITE \u039FWNER"],
    ["a capital I for the l of a lowercase-l spelling", "SlTE OWNER"],
    ["mathematical bold letters", "\u{1D412}\u{1D422}\u{1D42D}\u{1D41E} \u{1D428}\u{1D430}\u{1D427}\u{1D41E}\u{1D42B}"],
    ["Latin small capitals o and w", "Site \u1D0F\u1D21ner"],
  ])("refuses the default owner name spelled with %s", async (_, author) => {
    expect(await errorCode(await postComment(`reserved-lookalike-${crypto.randomUUID()}`, { author }, { env: { OWNER_NAME: "" } }))).toBe("reserved_name");
  });
});
