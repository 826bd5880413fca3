// Writing the public thread: its layout in pages, the cron's rebuild and one request's edit. Apart
// from thread.ts (reading it) so that a cold start for a page view does not compile it.
import { getMany, listAll } from "../lib/kv";
import { commentKeys } from "./keys";
import { toPublic, type CommentMetadata, type PublicComment, type StoredComment } from "./model";
import { PAGE_BYTES, PAGE_SIZE, readHead, sizeOf, THREAD_LAYOUT, type HeadMetadata, type ThreadHead } from "./thread";

/** Publication order; comments from before `publishedAt` existed count as published when written. */
const publishedAt = (comment: StoredComment) => comment.publishedAt ?? comment.createdAt;
const byPublication = (x: StoredComment, y: StoredComment) => publishedAt(x) - publishedAt(y) || (x.id < y.id ? -1 : 1);

function hasRoom(page: PublicComment[], item: PublicComment): boolean {
  return roomFor(page.length, sizeOf(page), sizeOf(item));
}

const roomFor = (items: number, pageBytes: number, itemBytes: number) => items < PAGE_SIZE && pageBytes + itemBytes <= PAGE_BYTES;

/**
 * The thread's pages from its comments, in publication order: each on the page it was published
 * to, and any without one (older data, imports) packed the way publishing would have.
 */
export function layoutThread(published: StoredComment[]): PublicComment[][] {
  const pages: PublicComment[][] = [[]];
  // Each page's JSON size, kept up as items join it ("[" + items joined by "," + "]"): measuring
  // the whole page again for every comment made laying out a long thread quadratic.
  const bytes: number[] = [2];
  let last = 0;
  for (const comment of [...published].sort(byPublication)) {
    const item = toPublic(comment);
    const itemBytes = sizeOf(item);
    // A page far past the comment count cannot be real: lay that comment out afresh.
    const known = comment.page !== undefined && comment.page <= published.length ? comment.page : undefined;
    const page = known ?? (roomFor(pages[last]?.length ?? 0, bytes[last] ?? 2, itemBytes) ? last : last + 1);
    const items = (pages[page] ??= []);
    bytes[page] = (bytes[page] ?? 2) + itemBytes + (items.length > 0 ? 1 : 0);
    items.push(item);
    last = Math.max(last, page);
  }
  for (let i = 0; i < pages.length; i++) pages[i] ??= [];
  return pages;
}

export interface RebuildOptions {
  /** The cron: leave an unchanged thread alone, so it stops counting as touched. */
  onlyIfChanged?: boolean;
}

/**
 * Rebuild the materialised thread of an article from its comment keys, for the cron: one list
 * call per 1000 comments and one bulk get per 100 public ones, then writes for the pages that
 * differ. Never on a request's path. Returns whether it wrote.
 */
export async function rebuildThread(kv: KVNamespace, a: string, article: string, now: number, { onlyIfChanged = false }: RebuildOptions = {}): Promise<boolean> {
  const ids: string[] = [];
  for await (const key of listAll<CommentMetadata>(kv, commentKeys.commentPrefix(a))) {
    if (key.metadata?.s === "approved") ids.push(key.name);
  }
  // Listed as approved but changed since (KV settling): the next rebuild has it right.
  const published = [...(await getMany<StoredComment>(kv, ids)).values()].filter((comment) => comment.status === "approved");
  const pages = layoutThread(published);
  const head = headOf(article, pages);
  const current = await readHead(kv, a);
  const before = current?.pages ?? 1;
  const existing = await getMany<PublicComment[]>(kv, Array.from({ length: Math.max(before, pages.length) - 1 }, (_, i) => commentKeys.page(a, i + 1)));
  // Pages between the first and the last have keys of their own; the two ends live in the head.
  const keyed = (page: number) => page > 0 && page < pages.length - 1;
  const changedPages = pages.flatMap((items, page) => (keyed(page) && JSON.stringify(existing.get(commentKeys.page(a, page)) ?? null) !== JSON.stringify(items) ? [page] : []));
  const stalePages = [...existing.keys()].filter((key) => !pages.some((_, page) => keyed(page) && commentKeys.page(a, page) === key));
  const legacy = current !== null && current.pages === undefined;
  if (onlyIfChanged && !changedPages.length && !stalePages.length && !legacy && JSON.stringify(current) === JSON.stringify(head)) return false;
  // Pages before the head: a head never promises pages that are not written yet.
  for (const page of changedPages) await kv.put(commentKeys.page(a, page), JSON.stringify(pages[page]));
  await kv.put(commentKeys.head(a), JSON.stringify(head), { metadata: { t: now, n: head.count, v: THREAD_LAYOUT } satisfies HeadMetadata });
  for (const key of stalePages) await kv.delete(key);
  if (legacy) await kv.delete(commentKeys.legacyAll(a));
  return true;
}

/** The head for a thread laid out in `pages`: the count, page 0 and the last page. */
export function headOf(article: string, pages: PublicComment[][]): ThreadHead {
  const count = pages.reduce((sum, page) => sum + page.length, 0);
  return { article, count, items: pages[0] ?? [], pages: Math.max(1, pages.length), ...(pages.length > 1 ? { tail: pages.at(-1)! } : {}) };
}

/**
 * One request's change to the public thread: a bounded number of KV operations whatever its
 * size (the head, plus the one page the comment is on). Read with `open`, change, then `commit`.
 */
export class ThreadEdit {
  private readonly loaded = new Map<number, PublicComment[]>();
  private readonly dirty = new Set<number>();

  private constructor(
    private readonly kv: KVNamespace,
    private readonly a: string,
    private readonly head: ThreadHead,
    /** When the head was last written; null when there is none yet. */
    readonly writtenAt: number | null,
    /** The head predates pages: its whole-thread value goes once this head is rewritten. */
    private readonly legacy: boolean,
  ) {
    this.loaded.set(0, head.items);
    if (this.pageCount > 1) this.loaded.set(this.pageCount - 1, head.tail ?? []);
  }

  static async open(kv: KVNamespace, a: string, article: string): Promise<ThreadEdit> {
    const { value, metadata } = await kv.getWithMetadata<ThreadHead, HeadMetadata>(commentKeys.head(a), "json");
    const head = value ?? { article, count: 0, items: [], pages: 1 };
    return new ThreadEdit(kv, a, { ...head, pages: head.pages ?? 1 }, metadata?.t ?? null, value !== null && value.pages === undefined);
  }

  private get pageCount(): number {
    return this.head.pages ?? 1;
  }

  private async page(page: number): Promise<PublicComment[]> {
    let items = this.loaded.get(page);
    if (!items) {
      items = (await this.kv.get<PublicComment[]>(commentKeys.page(this.a, page), "json")) ?? [];
      this.loaded.set(page, items);
    }
    return items;
  }

  /** Append a newly published comment to the last page (or a new one); returns it as stored, with its page. */
  async publish(comment: StoredComment, now: number): Promise<StoredComment> {
    const placed: StoredComment = { ...comment, publishedAt: now };
    const item = toPublic(placed);
    let page = this.pageCount - 1;
    if (!hasRoom(await this.page(page), item)) {
      // The full last page leaves the head for a key of its own.
      if (page > 0) this.dirty.add(page);
      page = this.pageCount;
      this.head.pages = page + 1;
      this.loaded.set(page, []);
    }
    this.loaded.get(page)!.push(item);
    this.dirty.add(page);
    this.head.count += 1;
    return { ...placed, page };
  }

  /** Take a comment off the thread. False when it was not found where it should be. */
  async remove(comment: StoredComment): Promise<boolean> {
    const found = await this.locate(comment);
    if (!found) return false;
    found.items.splice(found.index, 1);
    this.dirty.add(found.page);
    this.head.count = Math.max(0, this.head.count - 1);
    return true;
  }

  /** Show a published comment's new text; returns the page it is on, null when not found where it should be. */
  async replace(comment: StoredComment): Promise<number | null> {
    const found = await this.locate(comment);
    if (!found) return null;
    found.items[found.index] = toPublic(comment);
    this.dirty.add(found.page);
    return found.page;
  }

  /** The comment's page says where it is; older comments have none, so look through the first pages. */
  private async locate(comment: StoredComment): Promise<{ page: number; index: number; items: PublicComment[] } | null> {
    const candidates = comment.page !== undefined ? [comment.page] : Array.from({ length: Math.min(this.pageCount, 100) }, (_, i) => i);
    const unread = candidates.filter((page) => !this.loaded.has(page));
    if (unread.length > 1) {
      const found = await getMany<PublicComment[]>(this.kv, unread.map((page) => commentKeys.page(this.a, page)));
      for (const page of unread) this.loaded.set(page, found.get(commentKeys.page(this.a, page)) ?? []);
    }
    for (const page of candidates) {
      const items = await this.page(page);
      const index = items.findIndex((item) => item.id === comment.id);
      if (index >= 0) return { page, index, items };
    }
    return null;
  }

  /** Write the changed page, then the head that counts it. */
  async commit(now: number): Promise<void> {
    const last = this.pageCount - 1;
    for (const page of this.dirty) {
      if (page > 0 && page < last) await this.kv.put(commentKeys.page(this.a, page), JSON.stringify(this.loaded.get(page)));
    }
    const { tail: _tail, ...rest } = this.head;
    const head: ThreadHead = { ...rest, items: this.loaded.get(0)!, ...(last > 0 ? { tail: this.loaded.get(last)! } : {}) };
    await this.kv.put(commentKeys.head(this.a), JSON.stringify(head), { metadata: { t: now, n: head.count, v: THREAD_LAYOUT } satisfies HeadMetadata });
    if (this.legacy) await this.kv.delete(commentKeys.legacyAll(this.a)).catch(() => {});
  }
}
