import { addQueueChange } from "../comments/count-changes";
import type { CountChange } from "../comments/counts";
import { commentKeys } from "../comments/keys";
import { withSearchFields } from "../comments/search-fields";
import { countLinks } from "../comments/links";
import { COMMENT_ID, toPublic, type CommentMetadata, type StoredComment } from "../comments/model";
import { readComment } from "../comments/read";
import { moderate, withoutModeratorMark, withoutRevision, type ModerationChange } from "../comments/revision";
import { bodyHash, hasLegacyDuplicate } from "../comments/store";
import { getMany } from "../lib/kv";
import { commentNotFound, duplicateComment, Refusal } from "./refusal";
import type { RecordTurns } from "./record-turns";
import type { ThreadState } from "./thread-state";

/** A reader's or moderator's change to one comment, checked and applied by the article's writer on its current state. */
export type CommentChange =
  | { kind: "author-edit"; editTokenHash: string; body: string; editWindowMs: number; moderation: "pre" | "post"; maxLinks: number }
  | { kind: "author-delete"; editTokenHash: string; editWindowMs: number }
  | { kind: "moderate"; change: ModerationChange }
  | { kind: "erase" };

/** Who may answer whom: readers only published comments; the owner a pending one too, which approves it. */
export type ParentRule = "published" | "published-or-pending";

export interface Posted {
  comment: StoredComment;
  approvedParent: StoredComment | null;
}

export interface Imported {
  written: number;
  existing: number;
  /** Published comments put on the thread by this batch. */
  shown: number;
}

export interface Changed {
  before: StoredComment;
  after: StoredComment | null;
}

interface DeskContext {
  kv: KVNamespace;
  storage: DurableObjectStorage;
  a: string;
  secret: string;
  turns: RecordTurns;
  thread: ThreadState;
  /** What this call did to each status's count, for the site's counts. */
  counted: CountChange;
}

const isPublic = (comment: StoredComment | null | undefined) => comment?.status === "approved";
const isLive = (comment: StoredComment | null) => comment !== null && comment.status !== "deleted" && comment.status !== "spam";
const hashKey = (hash: string) => `hash:${hash}`;

/** The moderation queue entries a comment has: its status's, and the pending one while an edit awaits review. */
export function queueKeys(a: string, comment: StoredComment | null): Set<string> {
  if (!comment) return new Set();
  const keys = new Set([commentKeys.queue(comment.status, comment.createdAt, a, comment.id)]);
  if (comment.revision) keys.add(commentKeys.queue("pending", comment.createdAt, a, comment.id));
  return keys;
}

/** Metadata on each comment key, so listings need no `get` to know status, order, parent and text. */
export async function commentMetadata(secret: string, comment: StoredComment): Promise<CommentMetadata> {
  return withSearchFields({ s: comment.status, t: comment.createdAt, p: comment.parentId, h: await bodyHash(secret, comment.body), ...(comment.revision ? { r: 1 as const } : {}) }, comment);
}

const samePublicText = (x: StoredComment, y: StoredComment) => JSON.stringify(toPublic(x)) === JSON.stringify(toPublic(y));

function withoutPlace(comment: StoredComment): StoredComment {
  const { page: _page, publishedAt: _publishedAt, ...rest } = comment;
  return rest;
}

/**
 * The comment side of an article's writer: every change to one of its comments, applied in order
 * on the current state (the writer runs one at a time), the comment's own keys written before the
 * answer, and the thread changed in the writer's storage for the outbox to show.
 */
export class CommentDesk {
  constructor(private readonly ctx: DeskContext) {}

  async post(comment: StoredComment, parentRule: ParentRule, now: number): Promise<Posted> {
    let parent: StoredComment | null = null;
    if (comment.parentId !== null) {
      parent = COMMENT_ID.test(comment.parentId) ? await readComment(this.ctx.kv, this.ctx.a, comment.parentId) : null;
      const allowed = parent?.status === "approved" || (parentRule === "published-or-pending" && parent?.status === "pending");
      if (!allowed) {
        const what = parentRule === "published" ? "a published comment" : "a published or pending comment";
        throw new Refusal({ status: 400, code: "invalid_comment", message: `\`parentId\` must be ${what} on this article.`, field: "parentId" });
      }
    }
    if (await this.isDuplicate(comment.body)) throw duplicateComment();
    // Replying to a comment awaiting moderation approves it, as in WordPress: the reply must not
    // answer something readers cannot see.
    const approving = parent?.status === "pending" ? parent : null;
    const approvedParent = approving ? await this.apply(approving, moderate(approving, { status: "approved" }, now), now) : null;
    return { comment: (await this.apply(null, comment, now))!, approvedParent };
  }

  async change(id: string, change: CommentChange, now: number): Promise<Changed> {
    const comment = COMMENT_ID.test(id) ? await readComment(this.ctx.kv, this.ctx.a, id) : null;
    if (!comment) throw commentNotFound();
    if (change.kind === "author-edit" || change.kind === "author-delete") {
      if (comment.status === "deleted") throw commentNotFound();
      if (change.editTokenHash !== comment.editTokenHash) throw new Refusal({ status: 403, code: "invalid_edit_token", message: "This edit token does not belong to that comment." });
      if (now - comment.createdAt > change.editWindowMs) throw new Refusal({ status: 403, code: "edit_window_closed", message: "Comments can only be changed shortly after posting." });
    }
    const next = await this.changed(comment, change, now);
    return { before: comment, after: await this.apply(comment, next, now) };
  }

  /**
   * Imported comments: those not stored yet are written, and every published one (a batch sent
   * again after a failure half-way included) is shown, in time order. Stored ones are left as they
   * are: a moderator may have changed them since.
   */
  async import(comments: StoredComment[], now: number): Promise<Imported> {
    const { kv, a, thread } = this.ctx;
    const stored = await getMany<StoredComment>(kv, comments.map((comment) => commentKeys.comment(a, comment.id)));
    const fresh = comments.filter((comment) => !stored.has(commentKeys.comment(a, comment.id)));
    const unshown: StoredComment[] = [];
    for (const comment of stored.values()) if (isPublic(comment) && !(await thread.has(comment))) unshown.push(comment);
    const toShow = [...fresh.filter(isPublic), ...unshown];
    const placed = new Map((toShow.length > 0 ? await thread.insert(toShow, now) : []).map((comment) => [comment.id, comment]));
    for (const comment of fresh) {
      await this.writeRecord(null, placed.get(comment.id) ?? comment);
      await this.remember(null, comment);
    }
    return { written: fresh.length, existing: comments.length - fresh.length, shown: toShow.length };
  }

  private async changed(comment: StoredComment, change: CommentChange, now: number): Promise<StoredComment | null> {
    switch (change.kind) {
      case "author-edit": {
        const edited = change.body !== comment.body;
        if (edited && (await this.isDuplicate(change.body, comment.id))) throw duplicateComment();
        // Bait and switch: under pre-moderation, published text stays the reviewed text until the edit is reviewed too.
        if (change.moderation === "pre" && comment.status === "approved" && edited) return { ...comment, revision: { body: change.body, at: now } };
        // Editing back to the published text withdraws an edit awaiting review.
        const next: StoredComment = { ...withoutRevision(edited ? withoutModeratorMark(comment) : comment), body: change.body, editedAt: edited ? now : comment.editedAt };
        // An edit must not smuggle in what the spam rules would have held.
        if (next.status === "approved" && edited && countLinks(next.body) > change.maxLinks) next.status = "pending";
        return next;
      }
      case "author-delete":
        return { ...withoutRevision(comment), status: "deleted" };
      case "moderate":
        return moderate(comment, change.change, now);
      case "erase":
        return null;
    }
  }

  /** Apply one comment's change: its place on the thread, its own keys, the duplicate check's record. */
  private async apply(before: StoredComment | null, next: StoredComment | null, now: number): Promise<StoredComment | null> {
    const { thread } = this.ctx;
    let saved = next;
    if (next && isPublic(next) && isPublic(before) && samePublicText(before!, next)) {
      // Only what readers never see changed (an edit awaiting review): the thread stays as it is.
    } else if (next && isPublic(next)) {
      const page = isPublic(before) ? await thread.replace(next) : null;
      // Comments from before pages learn theirs here; one missing from the thread is put back.
      saved = page !== null ? { ...next, page, publishedAt: before!.publishedAt ?? before!.createdAt } : await thread.publish(next, now);
    } else if (before && isPublic(before)) {
      await thread.remove(before);
      if (saved) saved = withoutPlace(saved);
    }
    await this.writeRecord(before, saved);
    await this.remember(before, saved);
    return saved;
  }

  /**
   * The comment's key and its queue entries. New entries are written first and old ones removed
   * last: a failure in between leaves an extra entry, which listings skip by checking the comment,
   * never a comment the queue cannot find.
   */
  private async writeRecord(before: StoredComment | null, after: StoredComment | null): Promise<void> {
    const { kv, a, turns } = this.ctx;
    const comment = (after ?? before)!;
    const key = commentKeys.comment(a, comment.id);
    const [old, fresh] = [queueKeys(a, before), queueKeys(a, after)];
    for (const entry of fresh) if (!old.has(entry)) await kv.put(entry, "");
    await turns.take(key);
    if (after) await kv.put(key, JSON.stringify(after), { metadata: await this.metadataOf(after) });
    else await kv.delete(key);
    addQueueChange(this.ctx.counted, old, fresh);
    for (const entry of old) if (!fresh.has(entry)) await kv.delete(entry).catch(() => {});
  }

  private metadataOf(comment: StoredComment): Promise<CommentMetadata> {
    return commentMetadata(this.ctx.secret, comment);
  }

  /**
   * The writer keeps the duplicate check itself (which body hash is whose), in its own storage:
   * no KV key per comment. Articles older than the writer also have `dup:` keys, still read.
   */
  private async isDuplicate(body: string, exceptId?: string): Promise<boolean> {
    const hash = await bodyHash(this.ctx.secret, body);
    const owner = await this.ctx.storage.get<string>(hashKey(hash));
    if (owner !== undefined) return owner !== exceptId;
    return hasLegacyDuplicate(this.ctx.kv, this.ctx.a, hash, exceptId);
  }

  private async remember(before: StoredComment | null, after: StoredComment | null): Promise<void> {
    const { storage, secret } = this.ctx;
    const id = (after ?? before)!.id;
    const [was, is] = await Promise.all([before && isLive(before) ? bodyHash(secret, before.body) : null, after && isLive(after) ? bodyHash(secret, after.body) : null]);
    if (was !== null && was !== is && (await storage.get<string>(hashKey(was))) === id) await storage.delete(hashKey(was));
    if (is !== null && is !== was) await storage.put(hashKey(is), id);
  }
}
