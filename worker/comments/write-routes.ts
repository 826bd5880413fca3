import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";
import { clientId, clientIp, requireHashSecret } from "../http/client";
import { writeAllowance } from "../http/allowance";
import { chargeWrites } from "../http/limits";
import { ApiError } from "../http/errors";
import { jsonBody } from "../http/json";
import { parseArticleId } from "../lib/article";
import { privateId, publicId } from "../lib/hash";
import { askWriter } from "../writer/client";
import type { CommentChange } from "../writer/comment-desk";
import { countLinks } from "./links";
import { COMMENT_BODY_BYTES, COMMENT_CODES, newCommentId, toPublic, type StoredComment } from "./model";
import { notifyPending } from "./notify";
import { withoutModeratorMark } from "./revision";
import { isOwnerName } from "./reserved";
import { isTrusted } from "./trust";
import { isBlocked } from "./blocklist";
import { readSettingsCached } from "../settings/store";
import { verifyTurnstile } from "./spam";

/**
 * What the client's write allowance is charged, in KV writes, rounded up so a flood is refused
 * early: a held comment writes its key and its queue entry (and a notification's share), one
 * published also its share of the thread's next flush.
 */
const WRITES_PER_HELD_COMMENT = 3;
const WRITES_PER_THREAD_CHANGE = 1;
/** An author's edit or delete: the comment's key, a queue entry, and (nearly always published then) the thread. */
const WRITES_PER_AUTHOR_CHANGE = 3;

const bodyOptions = { maxBytes: COMMENT_BODY_BYTES };
const postBody = jsonBody((schemas) => schemas.newComment, COMMENT_CODES, bodyOptions);
const editBody = jsonBody((schemas) => schemas.authorEdit, COMMENT_CODES, bodyOptions);
const deleteBody = jsonBody((schemas) => schemas.authorDelete, COMMENT_CODES, bodyOptions);

function newEditToken(): string {
  return crypto.randomUUID().replaceAll("-", "") + crypto.randomUUID().replaceAll("-", "");
}

/** An author's edit or delete, checked by the article's writer against the comment's edit token and the edit window. */
async function authorChange(c: Context<AppEnv>, token: string, change: (editTokenHash: string, editWindowMs: number) => CommentChange) {
  const article = parseArticleId(c.req.param("article"));
  const id = c.req.param("id") ?? "";
  const secret = requireHashSecret(c.var.settings.hashSecret);
  const a = await publicId(article);
  // Charged before anything is read, so a flood of edits is refused without costing reads.
  await chargeWrites(writeAllowance(c, await clientId(secret, c.req.raw)), WRITES_PER_AUTHOR_CHANGE);
  const editTokenHash = await privateId(secret, "edit", token);
  return askWriter(c.env, { a, article }, (writer) => writer.changeComment({ a, article }, id, change(editTokenHash, c.var.settings.editWindowMs)));
}

/** Posting, and an author's edit and delete: loaded on the first one (see ../lazy.ts), routed to by routes.ts. */
export const commentWriteRoutes = new Hono<AppEnv>()
  .post("/articles/:article/comments", ...postBody, async (c) => {
    const input = c.req.valid("json");
    const article = parseArticleId(c.req.param("article"));
    const { settings } = c.var;
    const secret = requireHashSecret(settings.hashSecret);
    const now = Date.now();
    const ip = await clientId(secret, c.req.raw);
    const a = await publicId(article);
    const pendingStatus = { status: "pending" as const };

    // A bot filled in the invisible field: answer like a held comment, keep nothing.
    if (input.company !== undefined && input.company !== "") {
      const decoy = { id: newCommentId(now), parentId: null, author: input.author, website: null, body: input.body, createdAt: new Date(now).toISOString(), editedAt: null };
      return c.json({ comment: { ...decoy, ...pendingStatus }, editToken: newEditToken() }, 201);
    }
    if (await isOwnerName(input.author, settings.ownerName)) {
      throw new ApiError(400, "reserved_name", "That name belongs to this site's author. Please sign with your own name.", { field: "author" });
    }
    const tooManyLinks = countLinks(input.body) > settings.maxLinks;
    let held = settings.moderation === "pre" || tooManyLinks;
    const allowance = writeAllowance(c, ip);
    await chargeWrites(allowance, WRITES_PER_HELD_COMMENT + (held ? 0 : WRITES_PER_THREAD_CHANGE));
    if (settings.turnstileSecret) await verifyTurnstile(settings.turnstileSecret, input.turnstileToken, clientIp(c.req.raw));
    // The block list, read on posts only (never on a page view) and kept in memory for 30 s.
    const { blockList } = await readSettingsCached(c.env.PLAUDIT, now);
    const blocked = await isBlocked(blockList, { author: input.author, body: input.body, email: input.email, website: input.website, address: ip });
    if (blocked) held = true;
    // A returning commenter skips pre-moderation, never the link rule; read only after the charge.
    else if (held && !tooManyLinks && settings.trustReturning && (await isTrusted(c.env.PLAUDIT, secret, input))) {
      await chargeWrites(allowance, WRITES_PER_THREAD_CHANGE);
      held = false;
    }

    const editToken = newEditToken();
    const comment: StoredComment = {
      id: newCommentId(now),
      article,
      parentId: input.parentId ?? null,
      author: input.author,
      email: input.email ?? null,
      website: input.website ?? null,
      body: input.body,
      createdAt: now,
      editedAt: null,
      status: blocked ? "spam" : held ? "pending" : "approved",
      editTokenHash: await privateId(secret, "edit", editToken),
      ipHash: ip,
    };
    await askWriter(c.env, { a, article }, (writer) => writer.postComment({ a, article }, comment, "published"));
    if (comment.status === "pending" && settings.notifyWebhookUrl) c.executionCtx.waitUntil(notifyPending(settings.notifyWebhookUrl, comment, new URL(c.req.url).origin));
    // A blocked poster is told what anyone held is told: nothing that helps them get round it.
    // Under pre-moderation a returning commenter's published comment is answered as held too: the answer must not tell a prober whether a name and address have history.
    return c.json({ comment: { ...toPublic(comment), status: blocked || settings.moderation === "pre" ? ("pending" as const) : comment.status }, editToken }, 201);
  })
  .patch("/articles/:article/comments/:id", ...editBody, async (c) => {
    const input = c.req.valid("json");
    const { moderation, maxLinks, notifyWebhookUrl } = c.var.settings;
    const { before, after } = await authorChange(c, input.editToken, (editTokenHash, editWindowMs) => ({ kind: "author-edit", editTokenHash, editWindowMs, body: input.body, moderation, maxLinks }));
    const edited = after!;
    if (edited.revision) {
      // The published text stays until a moderator reviews the edit: the author sees their edit, awaiting review.
      if (notifyWebhookUrl) c.executionCtx.waitUntil(notifyPending(notifyWebhookUrl, { ...before, body: input.body }, new URL(c.req.url).origin, "edit"));
      return c.json({ comment: { ...toPublic({ ...withoutModeratorMark(edited), body: edited.revision.body, editedAt: edited.revision.at }), status: "pending" as const } });
    }
    return c.json({ comment: { ...toPublic(edited), status: edited.status } });
  })
  .delete("/articles/:article/comments/:id", ...deleteBody, async (c) => {
    await authorChange(c, c.req.valid("json").editToken, (editTokenHash, editWindowMs) => ({ kind: "author-delete", editTokenHash, editWindowMs }));
    return c.body(null, 204);
  });
