import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";
import { clientId, clientIp, requireHashSecret } from "../http/client";
import { writeAllowance } from "../http/allowance";
import { chargeWrites } from "../http/limits";
import { ApiError } from "../http/errors";
import { jsonBody } from "../http/json";
import { parseArticleId } from "../lib/article";
import { privateId, publicId } from "../lib/hash";
import { countLinks } from "./links";
import { COMMENT_BODY_BYTES, COMMENT_CODES, COMMENT_ID, newCommentId, toPublic, type StoredComment } from "./model";
import { notifyPending } from "./notify";
import { forgetRevision, proposeRevision, withoutModeratorMark, withoutRevision } from "./revision";
import { isOwnerName } from "./reserved";
import { isTrusted } from "./trust";
import { isBlocked } from "./blocklist";
import { readSettingsCached } from "../settings/store";
import { verifyTurnstile } from "./spam";
import { bodyHash, hasDuplicate, readComment, rememberBody, saveAndShow } from "./store";

/** KV writes of a held comment: the comment, its queue entry and its duplicate-check marker. */
const WRITES_PER_HELD_COMMENT = 3;
/** A published one also writes the thread's head (where the first and the last page live). */
const WRITES_PER_THREAD_CHANGE = 1;
/** KV writes of an author's edit or delete (comment, queue entry or marker), besides the thread. */
const WRITES_PER_AUTHOR_CHANGE = 2;

/**
 * Thread writes of an author's change: none while unpublished, else the head. Within the edit
 * window a comment is nearly always still on the last page, which lives in the head too.
 */
const threadWrites = (comment: StoredComment) => (comment.status === "approved" ? WRITES_PER_THREAD_CHANGE : 0);

const bodyOptions = { maxBytes: COMMENT_BODY_BYTES };
const postBody = jsonBody((schemas) => schemas.newComment, COMMENT_CODES, bodyOptions);
const editBody = jsonBody((schemas) => schemas.authorEdit, COMMENT_CODES, bodyOptions);
const deleteBody = jsonBody((schemas) => schemas.authorDelete, COMMENT_CODES, bodyOptions);

function newEditToken(): string {
  return crypto.randomUUID().replaceAll("-", "") + crypto.randomUUID().replaceAll("-", "");
}

/** The author's comment, after checking their edit token and the edit window. */
async function ownComment(c: Context<AppEnv>, token: string) {
  const article = parseArticleId(c.req.param("article"));
  const id = c.req.param("id") ?? "";
  const secret = requireHashSecret(c.var.settings.hashSecret);
  const a = await publicId(article);
  // Charged before the read, so a flood of edits is refused without costing reads.
  const allowance = writeAllowance(c, await clientId(secret, c.req.raw));
  await chargeWrites(allowance, WRITES_PER_AUTHOR_CHANGE);
  const comment = COMMENT_ID.test(id) ? await readComment(c.env.PLAUDIT, a, id) : null;
  if (!comment || comment.status === "deleted") throw new ApiError(404, "comment_not_found", "There is no such comment on this article.");
  if ((await privateId(secret, "edit", token)) !== comment.editTokenHash) {
    throw new ApiError(403, "invalid_edit_token", "This edit token does not belong to that comment.");
  }
  if (Date.now() - comment.createdAt > c.var.settings.editWindowMs) {
    throw new ApiError(403, "edit_window_closed", "Comments can only be changed shortly after posting.");
  }
  await chargeWrites(allowance, threadWrites(comment));
  return { article, a, secret, comment };
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

    if (input.parentId) {
      const parent = await readComment(c.env.PLAUDIT, a, input.parentId);
      if (parent?.status !== "approved") {
        throw new ApiError(400, "invalid_comment", "`parentId` must be a published comment on this article.", { field: "parentId" });
      }
    }
    const hash = await bodyHash(secret, input.body);
    if (await hasDuplicate(c.env.PLAUDIT, a, hash)) {
      throw new ApiError(409, "duplicate", "This comment has already been posted here.");
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
    await saveAndShow(c.env.PLAUDIT, a, article, now, null, comment, hash);
    await rememberBody(c.env.PLAUDIT, a, hash, comment.id);
    if (comment.status === "pending" && settings.notifyWebhookUrl) c.executionCtx.waitUntil(notifyPending(settings.notifyWebhookUrl, comment, new URL(c.req.url).origin));
    // A blocked poster is told what anyone held is told: nothing that helps them get round it.
    // Under pre-moderation a returning commenter's published comment is answered as held too: the answer must not tell a prober whether a name and address have history.
    return c.json({ comment: { ...toPublic(comment), status: blocked || settings.moderation === "pre" ? ("pending" as const) : comment.status }, editToken }, 201);
  })
  .patch("/articles/:article/comments/:id", ...editBody, async (c) => {
    const input = c.req.valid("json");
    const { article, a, secret, comment } = await ownComment(c, input.editToken);
    const { settings } = c.var;
    const now = Date.now();
    const previous = comment.status;
    const changed = input.body !== comment.body;
    const hash = await bodyHash(secret, input.body);
    if (changed && (await hasDuplicate(c.env.PLAUDIT, a, hash, comment.id))) {
      throw new ApiError(409, "duplicate", "This comment has already been posted here.");
    }
    // Bait and switch: under pre-moderation, published text stays the reviewed text until the edit is reviewed too.
    if (settings.moderation === "pre" && previous === "approved" && changed) {
      await proposeRevision(c.env.PLAUDIT, a, comment, input.body, now, await bodyHash(secret, comment.body));
      if (settings.notifyWebhookUrl) {
        c.executionCtx.waitUntil(notifyPending(settings.notifyWebhookUrl, { ...comment, body: input.body }, new URL(c.req.url).origin, "edit"));
      }
      return c.json({ comment: { ...toPublic({ ...withoutModeratorMark(comment), body: input.body, editedAt: now }), status: "pending" as const } });
    }
    // Editing back to the published text withdraws an edit awaiting review.
    const edited: StoredComment = { ...withoutRevision(changed ? withoutModeratorMark(comment) : comment), body: input.body, editedAt: changed ? now : comment.editedAt };
    // An edit must not smuggle in what the spam rules would have held.
    if (edited.status === "approved" && changed && countLinks(edited.body) > settings.maxLinks) edited.status = "pending";
    await saveAndShow(c.env.PLAUDIT, a, article, now, comment, edited, hash);
    await forgetRevision(c.env.PLAUDIT, a, comment, edited);
    if (changed) await rememberBody(c.env.PLAUDIT, a, hash, comment.id);
    return c.json({ comment: { ...toPublic(edited), status: edited.status } });
  })
  .delete("/articles/:article/comments/:id", ...deleteBody, async (c) => {
    const { article, a, secret, comment } = await ownComment(c, c.req.valid("json").editToken);
    const deleted: StoredComment = { ...withoutRevision(comment), status: "deleted" };
    await saveAndShow(c.env.PLAUDIT, a, article, Date.now(), comment, deleted, await bodyHash(secret, comment.body));
    await forgetRevision(c.env.PLAUDIT, a, comment, deleted);
    return c.body(null, 204);
  });
