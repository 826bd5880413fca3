import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { commentKeys } from "../../worker/comments/keys";
import { newCommentId, type StoredComment } from "../../worker/comments/model";
import { publicId } from "../../worker/lib/hash";
import { articleSegment } from "../../widget/admin/article-segment";
import { admin, call, errorCode, freshVoter, json, postComment, vote } from "./support/api";

describe("article ids `.` and `..`", () => {
  it.each(["..%C2%A0", ".%C2%A0", "%20..%20", "%E2%80%83.%E2%80%83"])("are refused on every public route: %s", async (segment) => {
    for (const [method, suffix, body] of [
      ["GET", "", undefined],
      ["GET", "/comments", undefined],
      ["PUT", "/vote", { voter: freshVoter(), rating: 5 }],
      ["POST", "/comments", { author: "Dot", body: "A comment under a dot id." }],
    ] as const) {
      const response = await call(method, `/api/v1/articles/${segment}${suffix}`, { body });
      expect(response.status, `${method} ${segment}${suffix}`).toBe(400);
      expect(await errorCode(response)).toBe("invalid_article");
    }
  });

  it("still allows ids that merely contain dots", async () => {
    for (const id of ["...", ".hidden", "v1.2", "./x"]) {
      expect((await vote(id, freshVoter(), 4)).status, id).toBe(200);
      expect((await postComment(id)).status, id).toBe(201);
    }
  });
});

describe("article ids with invisible formatting characters", () => {
  const spoofed = ["/legit-post/\u202E/nimda/", "/a\u2066b/", "/post\u200B/", "/soft\u00ADhyphen/", "/\uFEFFbom/", "/mark\u200E/", "/tag\u{E0041}/"];

  it.each(spoofed)("are refused on every public route, as in names and bodies: %j", async (article) => {
    for (const [method, suffix, body] of [
      ["GET", "", undefined],
      ["GET", "/comments", undefined],
      ["PUT", "/vote", { voter: freshVoter(), rating: 5 }],
      ["POST", "/comments", { author: "Spoof", body: "A comment under a spoofed id." }],
      ["POST", "/feedback", { voter: freshVoter(), body: "Spoofed." }],
    ] as const) {
      const response = await call(method, `/api/v1/articles/${encodeURIComponent(article)}${suffix}`, { body });
      expect(response.status, `${method} ${JSON.stringify(article)}${suffix}`).toBe(400);
      expect(await errorCode(response)).toBe("invalid_article");
    }
  });

  it("keep ZWNJ and ZWJ, which Persian and Indic words need", async () => {
    for (const id of ["/\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645/", "/\u0D15\u0D4D\u200D/"]) expect((await vote(id, freshVoter(), 4)).status, id).toBe(200);
  });
});

/** A comment as an older version stored it under an id that is refused now. */
async function storeLegacyComment(article: string, status: StoredComment["status"], body: string): Promise<StoredComment> {
  const now = Date.now();
  const comment: StoredComment = {
    id: newCommentId(now),
    article,
    parentId: null,
    author: "Legacy",
    email: null,
    website: null,
    body,
    createdAt: now,
    editedAt: null,
    status,
    editTokenHash: "x",
    ipHash: "x",
  };
  const a = await publicId(article);
  await env.PLAUDIT.put(commentKeys.queue(status, now, a, comment.id), "");
  await env.PLAUDIT.put(commentKeys.comment(a, comment.id), JSON.stringify(comment), { metadata: { s: status, t: now, p: null, h: "legacy" } });
  return comment;
}

describe("comments stored under `.` or `..` before they were refused", () => {
  it("and under an id with a bidi control can still be erased from /admin", async () => {
    const article = `/legit-post/\u202E/nimda/${crypto.randomUUID()}`;
    const comment = await storeLegacyComment(article, "pending", "Stored under a bidi id long ago.");
    expect((await admin("DELETE", `/comments/${articleSegment(article)}/${comment.id}`)).status).toBe(204);
    expect(await env.PLAUDIT.get(commentKeys.comment(await publicId(article), comment.id))).toBeNull();
  });

  it.each([".", ".."])("can be listed, approved and erased from /admin: %s", async (article) => {
    const body = `Stored under ${JSON.stringify(article)} long ago.`;
    const comment = await storeLegacyComment(article, "pending", body);

    const queue = await json(await admin("GET", "/comments?status=pending&limit=100"));
    expect(queue.comments).toContainEqual(expect.objectContaining({ id: comment.id, article, body }));
    const filtered = await json(await admin("GET", `/comments?status=pending&article=${encodeURIComponent(article)}`));
    expect(filtered.comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);

    // Addressed exactly as the /admin page addresses it.
    const path = `/comments/${articleSegment(article)}/${comment.id}`;
    const approved = await admin("PATCH", path, { body: { status: "approved" } });
    expect(approved.status).toBe(200);
    expect((await json(approved)).comment).toMatchObject({ id: comment.id, article, status: "approved" });

    expect((await admin("DELETE", path)).status).toBe(204);
    const after = await json(await admin("GET", "/comments?status=approved&limit=100"));
    expect(after.comments.map((c: { id: string }) => c.id)).not.toContain(comment.id);
    expect(await env.PLAUDIT.get(commentKeys.comment(await publicId(article), comment.id))).toBeNull();
  });

  it("a bare dot segment is resolved away by the URL, which is why /admin adds the space", async () => {
    const comment = await storeLegacyComment("..", "pending", "Unreachable without the trailing space.");
    expect(articleSegment("..")).toBe("..%20");
    expect(articleSegment("...")).toBe("...");
    const bare = await admin("PATCH", `/comments/%2E%2E/${comment.id}`, { body: { status: "approved" } });
    expect(bare.status).toBe(404);
  });
});

