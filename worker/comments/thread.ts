import { listAll, getMany } from "../lib/kv";
import { threadOrder, toPublic, type CommentMetadata, type PublicComment, type StoredComment, type ThreadEntry } from "./model";
import { commentKeys } from "./keys";

/** Comments in the page-view response and in one materialised page. */
export const PAGE_SIZE = 50;

/** What a page view reads: one small value, whatever the number of comments. */
export interface ThreadHead {
  article: string;
  count: number;
  items: PublicComment[];
}

/** Metadata on the head: when it was written and how many comments it counts (for the sweep). */
export interface HeadMetadata {
  t: number;
  n: number;
}

export interface CommentPage {
  comments: PublicComment[];
  count: number;
  cursor: string | null;
}

export async function readHead(kv: KVNamespace, a: string): Promise<ThreadHead | null> {
  return kv.get<ThreadHead>(commentKeys.head(a), "json");
}

/** A page of the thread; `cursor` is the opaque offset the previous page returned. */
export async function readPage(kv: KVNamespace, a: string, offset: number, limit: number): Promise<CommentPage> {
  const head = await readHead(kv, a);
  const count = head?.count ?? 0;
  let items = head?.items ?? [];
  if (offset + limit > items.length && count > items.length) {
    items = (await kv.get<PublicComment[]>(commentKeys.all(a), "json")) ?? items;
  }
  const comments = items.slice(offset, offset + limit);
  const next = offset + comments.length;
  return { comments, count, cursor: next < count && comments.length > 0 ? String(next) : null };
}

export interface RebuildOptions {
  /** The cron: leave an unchanged thread alone, so it stops counting as touched. */
  onlyIfChanged?: boolean;
  /** The comment this request just wrote, or the id it just erased. KV lists can lag behind
   * a write by up to a minute; the writer's own change must show at once all the same. */
  changed?: StoredComment;
  erased?: string;
}

/**
 * Rebuild the materialised thread of an article from its comment keys: one list call per 1000
 * comments, one bulk get per 100 public ones, and 1–2 writes. Stamped "touched now", so the
 * cron re-checks it after KV settles. Returns whether it wrote.
 */
export async function rebuildThread(kv: KVNamespace, a: string, article: string, now: number, options: RebuildOptions = {}): Promise<boolean> {
  const { onlyIfChanged = false, changed, erased } = options;
  const entries: ThreadEntry[] = [];
  for await (const key of listAll<CommentMetadata>(kv, commentKeys.commentPrefix(a))) {
    const meta = key.metadata;
    const id = key.name.slice(commentKeys.commentPrefix(a).length);
    if (meta && id !== changed?.id && id !== erased) entries.push({ id, parentId: meta.p, createdAt: meta.t, public: meta.s === "approved" });
  }
  if (changed) entries.push({ id: changed.id, parentId: changed.parentId, createdAt: changed.createdAt, public: changed.status === "approved" });
  const order = threadOrder(entries);
  const stored = await getMany<StoredComment>(kv, order.flatMap(({ id }) => (id === changed?.id ? [] : [commentKeys.comment(a, id)])));
  if (changed) stored.set(commentKeys.comment(a, changed.id), changed);
  const items = order.flatMap(({ id, parentId }) => {
    const comment = stored.get(commentKeys.comment(a, id));
    // Listed but not readable yet (KV settling) or no longer approved: the next rebuild has it.
    return comment && comment.status === "approved" ? [{ ...toPublic(comment), parentId }] : [];
  });
  const head: ThreadHead = { article, count: items.length, items: items.slice(0, PAGE_SIZE) };
  if (onlyIfChanged) {
    const [current, all] = await Promise.all([kv.get(commentKeys.head(a)), kv.get(commentKeys.all(a))]);
    const unchanged = current === JSON.stringify(head) && (items.length > PAGE_SIZE ? all === JSON.stringify(items) : all === null);
    if (unchanged) return false;
  }
  // The full list first: a head never promises more comments than the list it points to holds.
  if (items.length > PAGE_SIZE) await kv.put(commentKeys.all(a), JSON.stringify(items));
  const metadata: HeadMetadata = { t: now, n: items.length };
  await kv.put(commentKeys.head(a), JSON.stringify(head), { metadata });
  if (items.length <= PAGE_SIZE) await kv.delete(commentKeys.all(a));
  return true;
}
