import { commentKeys } from "./keys";
import type { PublicComment } from "./model";

/**
 * The public thread, materialised in pages so that no request ever reads or writes the whole of
 * it. Comments are listed in the order they were published: a new one only ever goes onto the
 * last page. Page 0 and the last page live in the head, which is all a page view reads, so
 * publishing costs the same on an empty article as on one with 100,000 comments: the head, and
 * once every 50 comments the full last page moving to a key of its own.
 */

/** Most comments on one page. */
export const PAGE_SIZE = 50;
/** A page takes no new comment past this many bytes of JSON (bodies may be 5,000 characters). */
export const PAGE_BYTES = 32 * 1024;
/** One response carries at most this many bytes of comments (an edit can grow a full page). */
export const RESPONSE_BYTES = 48 * 1024;
/** Pages a reader's "more" looks through at once, so pages emptied by moderation are skipped. */
const PAGES_PER_READ = 10;

/** What a page view reads: one small value, whatever the number of comments. */
export interface ThreadHead {
  article: string;
  /** Published comments on every page. */
  count: number;
  /** Page 0. */
  items: PublicComment[];
  /** Pages, counting page 0. Absent on heads written before pages existed. */
  pages?: number;
  /** The last page, when there is more than one. */
  tail?: PublicComment[];
}

/** Heads in the paged layout say so, so the sweep can find and convert older ones. */
export const THREAD_LAYOUT = 2;

/** Metadata on the head: when it was written, how many comments it counts, its layout (for the sweep). */
export interface HeadMetadata {
  t: number;
  n: number;
  v?: typeof THREAD_LAYOUT;
}

export interface CommentPage {
  comments: PublicComment[];
  count: number;
  cursor: string | null;
}

const encoder = new TextEncoder();
// Reused: measuring every item of every page view should not allocate a copy of each.
let scratch = new Uint8Array(16 * 1024);
/** The size of `value` as JSON, in UTF-8 bytes. */
export function sizeOf(value: unknown): number {
  const json = JSON.stringify(value);
  if (json.length * 3 > scratch.length) scratch = new Uint8Array(json.length * 3);
  return encoder.encodeInto(json, scratch).written;
}

/** How many leading items fit in one response. */
function fitting(items: PublicComment[], limit: number): number {
  let bytes = 0;
  for (let i = 0; i < Math.min(items.length, limit); i++) {
    bytes += sizeOf(items[i]) + 1;
    if (bytes > RESPONSE_BYTES && i > 0) return i;
  }
  return Math.min(items.length, limit);
}

const cursorOf = (page: number, offset: number) => `${page}.${offset}`;

/** `page.offset`; a bare number is a cursor from before pages (an offset into page 0 onwards). */
export function parseCursor(cursor: string | undefined): { page: number; offset: number } | null {
  if (cursor === undefined || cursor === "") return { page: 0, offset: 0 };
  const match = /^(\d{1,9})(?:\.(\d{1,9}))?$/.exec(cursor);
  if (!match) return null;
  if (match[2] === undefined) {
    const offset = Number(match[1]);
    return { page: Math.floor(offset / PAGE_SIZE), offset: offset % PAGE_SIZE };
  }
  return { page: Number(match[1]), offset: Number(match[2]) };
}

export async function readHead(kv: KVNamespace, a: string): Promise<ThreadHead | null> {
  return kv.get<ThreadHead>(commentKeys.head(a), "json");
}

/** The first page as the page-view response carries it. */
export function firstPage(head: ThreadHead | null): CommentPage {
  const items = head?.items ?? [];
  const shown = fitting(items, items.length);
  const count = head?.count ?? 0;
  const cursor = shown < items.length ? cursorOf(0, shown) : count > shown ? cursorOf(1, 0) : null;
  return { comments: items.slice(0, shown), count, cursor };
}

/** A page of the thread from a cursor the previous page returned: at most one KV operation. */
export async function readPage(kv: KVNamespace, a: string, from: { page: number; offset: number }, limit: number): Promise<CommentPage> {
  const keys = [commentKeys.head(a), ...Array.from({ length: from.page === 0 ? 0 : PAGES_PER_READ }, (_, i) => commentKeys.page(a, from.page + i))];
  const found = await kv.get<ThreadHead | PublicComment[]>(keys, "json");
  const head = found.get(commentKeys.head(a)) as ThreadHead | null;
  if (from.page > 0 && head && head.pages === undefined) return readLegacyPage(kv, a, head, from, limit);
  const count = head?.count ?? 0;
  const pages = head?.pages ?? 1;
  for (let page = from.page; page < Math.min(pages, from.page + Math.max(1, keys.length - 1)); page++) {
    const items = page === 0 ? (head?.items ?? []) : page === pages - 1 ? (head?.tail ?? []) : ((found.get(commentKeys.page(a, page)) as PublicComment[] | null) ?? []);
    const offset = page === from.page ? from.offset : 0;
    if (offset >= items.length) continue;
    const rest = items.slice(offset);
    const shown = fitting(rest, limit);
    const cursor = offset + shown < items.length ? cursorOf(page, offset + shown) : page + 1 < pages ? cursorOf(page + 1, 0) : null;
    return { comments: rest.slice(0, shown), count, cursor };
  }
  const next = from.page + Math.max(1, keys.length - 1);
  return { comments: [], count, cursor: next < pages ? cursorOf(next, 0) : null };
}

/** A thread the sweep has not converted yet: its pages after the first are one `thread-all` value. */
async function readLegacyPage(kv: KVNamespace, a: string, head: ThreadHead, from: { page: number; offset: number }, limit: number): Promise<CommentPage> {
  const all = (await kv.get<PublicComment[]>(commentKeys.legacyAll(a), "json")) ?? head.items;
  const start = from.page * PAGE_SIZE + from.offset;
  const comments = all.slice(start, start + fitting(all.slice(start), limit));
  const next = start + comments.length;
  return { comments, count: head.count, cursor: next < all.length && comments.length > 0 ? String(next) : null };
}

/** Where a newest-first reader goes on: page `page`, after its last `skip` comments. */
export interface NewestCursor {
  page: number;
  skip: number;
}

/** `n{page}.{skip}`; empty starts at the newest comment. */
export function parseNewestCursor(cursor: string | undefined): NewestCursor | "newest" | null {
  if (cursor === undefined || cursor === "") return "newest";
  const match = /^n(\d{1,9})\.(\d{1,9})$/.exec(cursor);
  return match ? { page: Number(match[1]), skip: Number(match[2]) } : null;
}

/**
 * Newest first, for `<plaudit-comments order="newest">`: the last page (in the head) backwards.
 * One KV operation a page: the head alone to start, then the head with the page in one bulk get.
 */
export async function readNewestPage(kv: KVNamespace, a: string, from: NewestCursor | "newest", limit: number): Promise<CommentPage> {
  let head: ThreadHead | null = null;
  let at = from === "newest" ? null : from;
  // Pages emptied by moderation are passed over, a few at most per request.
  for (let read = 0; read < PAGES_PER_READ; read++) {
    const keys = [commentKeys.head(a), ...(at && at.page > 0 ? [commentKeys.page(a, at.page)] : [])];
    const found = await kv.get<ThreadHead | PublicComment[]>(keys, "json");
    head = found.get(commentKeys.head(a)) as ThreadHead | null;
    const pages = head?.pages ?? 1;
    at ??= { page: pages - 1, skip: 0 };
    if (at.page >= pages) at = { page: pages - 1, skip: 0 };
    const items = at.page === 0 ? (head?.items ?? []) : at.page === pages - 1 ? (head?.tail ?? []) : ((found.get(commentKeys.page(a, at.page)) as PublicComment[] | null) ?? []);
    const rest = items.slice(0, Math.max(0, items.length - at.skip)).reverse();
    if (rest.length || at.page === 0) {
      const shown = fitting(rest, limit);
      const skip = at.skip + shown;
      const cursor = skip < items.length ? `n${at.page}.${skip}` : at.page > 0 ? `n${at.page - 1}.0` : null;
      return { comments: rest.slice(0, shown), count: head?.count ?? 0, cursor };
    }
    at = { page: at.page - 1, skip: 0 };
  }
  return { comments: [], count: head?.count ?? 0, cursor: at ? `n${at.page}.0` : null };
}
