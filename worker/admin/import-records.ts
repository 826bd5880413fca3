import { cleanText, COMMENT_ID, isStatus, type StoredComment } from "../comments/model";
import { FEEDBACK_ID } from "../feedback/store";
import { ApiError } from "../http/errors";
import { parseArticleId, parseStoredArticleId } from "../lib/article";
import { publicId } from "../lib/hash";
import type { VoteMetadata } from "../ratings/keys";

/**
 * The records POST /admin/import takes, one JSON object a line. They are the export's own
 * (`vote`, `earlier`, `comment`, `feedback`), so a backup restores as it is; a comment from another system
 * carries `source` and `sourceId` instead of an `id`, and its parent as `sourceParentId`; a vote
 * from another system (a rated WooCommerce review) `source` and `sourceId` instead of a `voter`.
 * Every time is clamped to `now`: a date in the future would outlive an admin reset and pin a
 * comment atop every listing.
 */
/** A stored comment as a backup carries it: no edit token, no place in this Worker's thread layout. */
export type CommentRecord = { type: "comment" } & Omit<StoredComment, "editTokenHash" | "page" | "publishedAt">;

export interface VoteRecord {
  type: "vote";
  /** The article id, or null when the backup did not know it (its aggregate was missing). */
  article: string | null;
  a: string | null;
  voter: string;
  rating: number;
  at: number;
}

export interface EarlierRecord {
  type: "earlier";
  article: string;
  count: number;
  sum: number;
  /** When they were imported first (a backup keeps it); absent from other systems' files. */
  at: number | null;
}

/** A reader's private answer to "What could be better?", as the export writes it. */
export interface FeedbackRecord {
  type: "feedback";
  article: string;
  id: string;
  rating: number;
  body: string;
  createdAt: number;
  voter: string;
}

export type ImportRecord = CommentRecord | VoteRecord | EarlierRecord | FeedbackRecord;

/** What is wrong with one record: reported back, never a reason to fail the batch. */
export class RecordError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Sources other systems' records may name; the stable ids are derived from them. */
const SOURCES = new Set(["wordpress", "disqus", "plaudit"]);
const SOURCE_ID = /^[\w.:@/-]{1,200}$/;
/** What privateId() makes (voters, client networks); the block list takes no other `ipHash`. */
const PRIVATE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ARTICLE_KEY = /^[A-Za-z0-9_-]{22}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** 9999-12-31T23:59:59.999Z. */
const LAST_TIME = 253_402_300_799_999;
/** Stars a rating system other than Plaudit's may average to, when imported as earlier votes. */
const BEST = 5;

type Fields = Record<string, unknown>;

function text(record: Fields, field: string, { min = 1, max, newlines = false }: { min?: number; max: number; newlines?: boolean }): string {
  const value = record[field];
  if (typeof value !== "string") throw new RecordError("invalid_record", `\`${field}\` must be text.`, field);
  const cleaned = cleanText(value, newlines);
  if ([...cleaned].length < min) throw new RecordError("invalid_record", `\`${field}\` is empty.`, field);
  if ([...cleaned].length > max) throw new RecordError("invalid_record", `\`${field}\` is longer than ${max} characters.`, field);
  return cleaned;
}

function optionalText(record: Fields, field: string, max: number, check: (value: string) => boolean, what: string): string | null {
  const value = record[field];
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string" || value.length > max || !check(value.trim())) throw new RecordError("invalid_record", `\`${field}\` must be ${what}.`, field);
  return value.trim();
}

function time(record: Fields, field: string, now: number, { optional = false } = {}): number | null {
  const value = record[field];
  if (optional && (value === undefined || value === null)) return null;
  const at = typeof value === "string" ? Date.parse(value) : typeof value === "number" ? value : NaN;
  // Within what a Date can print (the export and the thread do), from 1970 to the year 9999.
  if (!Number.isSafeInteger(at) || at < 0 || at > LAST_TIME) throw new RecordError("invalid_record", `\`${field}\` must be a date such as 2024-05-01T12:00:00Z.`, field);
  return Math.min(at, now);
}

/** A field that is either left out (null, undefined) or exactly `allowed`. */
function flag<T>(record: Fields, field: string, allowed: T, what: string): T | undefined {
  const value = record[field];
  if (value === undefined || value === null || value === false) return undefined;
  if (value !== allowed) throw new RecordError("invalid_record", `\`${field}\` must be ${what} or left out.`, field);
  return allowed;
}

function wholeNumber(record: Fields, field: string, min: number): number {
  const value = record[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) throw new RecordError("invalid_record", `\`${field}\` must be a whole number of at least ${min}.`, field);
  return value;
}

function article(record: Fields, restoring: boolean): string {
  try {
    // A backup may hold the ids `.` and `..` that older versions stored; other systems' may not.
    return restoring ? parseStoredArticleId(record.article as string) : parseArticleId(record.article as string);
  } catch (error) {
    throw new RecordError("invalid_record", error instanceof ApiError ? error.message : "`article` is not a valid article id.", "article");
  }
}

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && Boolean(url.hostname);
  } catch {
    return false;
  }
};

/** A stable voter id for another system's rating (a review's stars): the same source and id always give the same one. */
function importedVoterId(source: string, sourceId: string): Promise<string> {
  return publicId(`import-vote\u0000${source}\u0000${sourceId}`);
}

function sourceOf(record: Fields): { source: string; sourceId: string } {
  if (typeof record.source !== "string" || !SOURCES.has(record.source)) throw new RecordError("invalid_record", "`source` must be wordpress, disqus or plaudit.", "source");
  const sourceId = String(record.sourceId ?? "");
  if (!SOURCE_ID.test(sourceId)) throw new RecordError("invalid_record", "`sourceId` must be the record's id in its source, 1–200 characters.", "sourceId");
  return { source: record.source, sourceId };
}

/** A stable comment id for another system's comment: the same source and id always give the same one. */
export async function importedCommentId(source: string, sourceId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`import\u0000${source}\u0000${sourceId}`)));
  return Array.from(digest.slice(0, 19), (byte) => (byte % 36).toString(36)).join("");
}

async function commentIds(record: Fields): Promise<{ id: string; parentId: string | null; restoring: boolean }> {
  if (record.source === undefined) {
    const { id, parentId } = record;
    if (typeof id !== "string" || !COMMENT_ID.test(id)) throw new RecordError("invalid_record", "`id` must be a Plaudit comment id (or give `source` and `sourceId`).", "id");
    if (parentId !== null && parentId !== undefined && (typeof parentId !== "string" || !COMMENT_ID.test(parentId))) throw new RecordError("invalid_record", "`parentId` must be a Plaudit comment id or null.", "parentId");
    return { id, parentId: (parentId as string | null | undefined) ?? null, restoring: true };
  }
  const { source, sourceId } = sourceOf(record);
  const parent = record.sourceParentId;
  const hasParent = parent !== undefined && parent !== null && parent !== "" && parent !== "0" && parent !== 0;
  if (hasParent && !SOURCE_ID.test(String(parent))) throw new RecordError("invalid_record", "`sourceParentId` must be the parent's id in the source.", "sourceParentId");
  return {
    id: await importedCommentId(source, sourceId),
    parentId: hasParent ? await importedCommentId(source, String(parent)) : null,
    restoring: false,
  };
}

/** Empty for a comment written without one (imported, the owner's); else what privateId() made. */
function ipHash(record: Fields): string {
  const value = record.ipHash;
  if (value === undefined || value === null || value === "") return "";
  if (typeof value !== "string" || !PRIVATE_ID.test(value)) throw new RecordError("invalid_record", "`ipHash` must be the client id of a Plaudit backup (letters, digits, _ and -) or left out.", "ipHash");
  return value;
}

function revisionOf(record: Fields, now: number): CommentRecord["revision"] {
  const revision = record.revision;
  if (revision === undefined || revision === null) return undefined;
  if (typeof revision !== "object" || Array.isArray(revision)) throw new RecordError("invalid_record", "`revision` must be an object with `body` and `at`, or left out.", "revision");
  return { body: text(revision as Fields, "body", { max: 5000, newlines: true }), at: time(revision as Fields, "at", now)! };
}

async function comment(record: Fields, now: number): Promise<CommentRecord> {
  const { id, parentId, restoring } = await commentIds(record);
  const status = record.status ?? "pending";
  if (typeof status !== "string" || !isStatus(status)) throw new RecordError("invalid_record", "`status` must be pending, approved, spam or deleted.", "status");
  const parsed: CommentRecord = {
    type: "comment",
    article: article(record, restoring),
    id,
    parentId,
    author: text(record, "author", { max: 80 }),
    email: optionalText(record, "email", 254, (value) => EMAIL.test(value), "an email address"),
    website: optionalText(record, "website", 300, isHttpUrl, "an http:// or https:// address"),
    body: text(record, "body", { max: 5000, newlines: true }),
    createdAt: time(record, "createdAt", now)!,
    editedAt: time(record, "editedAt", now, { optional: true }),
    status,
    ipHash: ipHash(record),
  };
  if (parsed.website) parsed.website = new URL(parsed.website).href;
  const editedBy = flag(record, "editedBy", "moderator", "moderator");
  if (editedBy) parsed.editedBy = editedBy;
  // Only a backup knows which comments the site owner wrote in /admin.
  if (flag(record, "owner", true, "true")) {
    if (!restoring) throw new RecordError("invalid_record", "`owner` is kept from a Plaudit backup only.", "owner");
    parsed.owner = true;
  }
  const revision = revisionOf(record, now);
  if (revision) parsed.revision = revision;
  return parsed;
}

function stars(record: Fields): number {
  const rating = record.rating;
  if (typeof rating !== "number" || !Number.isInteger(rating) || rating < 1 || rating > BEST) throw new RecordError("invalid_record", "`rating` must be a whole number from 1 to 5.", "rating");
  return rating;
}

async function vote(record: Fields, now: number): Promise<VoteRecord> {
  if (record.sourceId !== undefined) {
    // Another system's rating: one voter per rated review, so the per-star breakdown is the source's.
    const { source, sourceId } = sourceOf(record);
    return { type: "vote", article: article(record, false), a: null, voter: await importedVoterId(source, sourceId), rating: stars(record), at: time(record, "at", now)! };
  }
  const known = record.article !== null && record.article !== undefined;
  const given = record.articleKey !== null && record.articleKey !== undefined;
  if (given && (typeof record.articleKey !== "string" || !ARTICLE_KEY.test(record.articleKey))) throw new RecordError("invalid_record", "`articleKey` must be the article key of a Plaudit backup.", "articleKey");
  const a = given ? (record.articleKey as string) : null;
  if (!known && !a) throw new RecordError("invalid_record", "A vote needs its `article` (or the `articleKey` of a backup).", "article");
  if (typeof record.voter !== "string" || !PRIVATE_ID.test(record.voter)) throw new RecordError("invalid_record", "`voter` must be the voter id of a Plaudit backup (or give `source` and `sourceId`).", "voter");
  return { type: "vote", article: known ? article(record, true) : null, a, voter: record.voter, rating: stars(record), at: time(record, "at", now)! };
}

/**
 * An imported vote's key metadata. It names the article (at most 200 characters, so under 900 of
 * metadata's 1,024 bytes), so an export has it at no cost before the cron builds the aggregate.
 */
export function voteMetadata(record: VoteRecord): VoteMetadata {
  return { r: record.rating, t: record.at, ...(record.article === null ? {} : { article: record.article }) };
}

function earlier(record: Fields, now: number): EarlierRecord {
  const count = wholeNumber(record, "count", 1);
  const sum = wholeNumber(record, "sum", 1);
  if (sum < count || sum > count * BEST) throw new RecordError("invalid_record", `\`sum\` must be from \`count\` to ${BEST} × \`count\` (ratings of 1 to ${BEST} stars).`, "sum");
  return { type: "earlier", article: article(record, record.source === undefined), count, sum, at: time(record, "at", now, { optional: true }) };
}

function feedback(record: Fields, now: number): FeedbackRecord {
  if (typeof record.id !== "string" || !FEEDBACK_ID.test(record.id)) throw new RecordError("invalid_record", "`id` must be the feedback id of a Plaudit backup.", "id");
  if (typeof record.voter !== "string" || !PRIVATE_ID.test(record.voter)) throw new RecordError("invalid_record", "`voter` must be the voter id of a Plaudit backup.", "voter");
  return { type: "feedback", article: article(record, true), id: record.id, rating: stars(record), body: text(record, "body", { max: 1000, newlines: true }), createdAt: time(record, "createdAt", now)!, voter: record.voter };
}

/** Records that carry nothing to import: the export's header and paging lines. */
const IGNORED = new Set(["export", "continue"]);

/** One NDJSON line as a record to import, null for one to pass over, or a RecordError. */
export async function parseRecord(line: string, now = Date.now()): Promise<ImportRecord | null> {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    throw new RecordError("invalid_json", "This line is not valid JSON.");
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) throw new RecordError("invalid_record", "Each line must be a JSON object.");
  const fields = record as Fields;
  if (typeof fields.type === "string" && IGNORED.has(fields.type)) return null;
  switch (fields.type) {
    case "comment":
      return comment(fields, now);
    case "vote":
      return vote(fields, now);
    case "earlier":
      return earlier(fields, now);
    case "feedback":
      return feedback(fields, now);
    default:
      throw new RecordError("unknown_type", "`type` must be comment, vote, earlier or feedback.", "type");
  }
}
