import { withoutSpoofing } from "./spoofing";

export const STATUSES = ["pending", "approved", "spam", "deleted"] as const;
export type Status = (typeof STATUSES)[number];

/** What an author may learn of their comment: spam and deleted look alike, so spammers learn nothing more. */
export type PublicStatus = "pending" | "approved" | "removed";

export function publicStatus(status: Status): PublicStatus {
  return status === "pending" || status === "approved" ? status : "removed";
}

/** What anyone may read: never the email, IP or moderation status. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  author: string;
  website: string | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  /** Present only when the last change of the text was a moderator's, not the author's. */
  editedBy?: "moderator";
  /** Present only on the site owner's comments, written in /admin. */
  owner?: true;
}

/** The whole comment as kept in KV (the source of truth). */
export interface StoredComment {
  id: string;
  article: string;
  parentId: string | null;
  author: string;
  email: string | null;
  website: string | null;
  body: string;
  createdAt: number;
  editedAt: number | null;
  /** Set when a moderator changed the text last; an author's own edit removes it. */
  editedBy?: "moderator";
  /** The site owner's comment, written in /admin under OWNER_NAME. */
  owner?: true;
  status: Status;
  /** HMAC of the edit token handed to the author; the token itself is never stored. */
  editTokenHash: string;
  /** HMAC of the client IP, for moderators spotting floods; never the IP. */
  ipHash: string;
  /** An author's edit of a published comment under pre-moderation, shown once a moderator approves it. */
  revision?: { body: string; at: number };
  /** While published: when it was, which orders the thread, and the page of the thread it is on. */
  publishedAt?: number;
  page?: number;
}

/** Metadata on each comment key, so listings need no `get` to know status, order and parent. */
export interface CommentMetadata {
  s: Status;
  t: number;
  p: string | null;
  /** Short hash of the normalised body, for the duplicate check. */
  h: string;
  /** Set when an edit awaits review, so an article's pending listing needs no `get` either. */
  r?: 1;
  /** For /admin's search (comments/search-fields.ts), folded: the author, the email, the start of the text. */
  n?: string;
  e?: string;
  x?: string;
  /** Set when `x` is only the start of the text. */
  xc?: 1;
}

export function toPublic(comment: StoredComment): PublicComment {
  return {
    id: comment.id,
    parentId: comment.parentId,
    author: comment.author,
    website: comment.website,
    body: comment.body,
    createdAt: new Date(comment.createdAt).toISOString(),
    editedAt: comment.editedAt === null ? null : new Date(comment.editedAt).toISOString(),
    ...(comment.editedBy ? { editedBy: comment.editedBy } : {}),
    ...(comment.owner ? { owner: true as const } : {}),
  };
}

/** As a moderator sees it: everything but the secrets, and what a reply answers. */
export interface ModerationComment extends PublicComment {
  article: string;
  status: Status;
  email: string | null;
  replyTo?: { id: string; author: string; excerpt: string };
  /** The author's edit awaiting review; `body` above is the text readers see meanwhile. */
  revision?: { body: string; at: string };
}

export function toModeration(comment: StoredComment): ModerationComment {
  const listed: ModerationComment = { ...toPublic(comment), article: comment.article, status: comment.status, email: comment.email };
  if (comment.revision) listed.revision = { body: comment.revision.body, at: new Date(comment.revision.at).toISOString() };
  return listed;
}

// C0/C1 controls and invisible separators; newlines survive in bodies.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Trim, normalise line endings, drop control characters (keeping newlines when asked) and spoofing. */
export function cleanText(text: string, keepNewlines: boolean): string {
  const normalised = withoutSpoofing(text.replace(/\r\n?/g, "\n").replace(/\t/g, " ").replace(CONTROLS, ""));
  return (keepNewlines ? normalised.replace(/\n{3,}/g, "\n\n") : normalised.replace(/\n/g, " ")).trim();
}

/** Compare bodies regardless of case and spacing, for the duplicate check. */
export function normaliseForDuplicate(body: string): string {
  return body.toLowerCase().replace(/\s+/g, " ").trim();
}

/** Sortable by time, unguessable: 9 chars of time in base 36, then 10 random. */
export function newCommentId(now: number): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) => (byte % 36).toString(36)).join("");
  return now.toString(36).padStart(9, "0") + random;
}

export const COMMENT_ID = /^[0-9a-z]{19}$/;

export const isStatus = (value: string): value is Status => (STATUSES as readonly string[]).includes(value);

/** Every field error of a comment body is reported as invalid_comment, naming the field. */
export const COMMENT_CODES = { author: "invalid_comment", body: "invalid_comment", email: "invalid_comment", website: "invalid_comment", parentId: "invalid_comment", turnstileToken: "invalid_comment", editToken: "invalid_comment", company: "invalid_comment" };

/** UTF-8 of 5000 characters plus JSON escaping fits well within this. */
export const COMMENT_BODY_BYTES = 32 * 1024;
