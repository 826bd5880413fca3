import { commentKeys } from "../comments/keys";
import { toPublic, type PublicComment, type StoredComment } from "../comments/model";
import { sizeOf, THREAD_LAYOUT, type HeadMetadata, type ThreadHead } from "../comments/thread";
import { packPages, roomFor } from "../comments/thread-writer";
import { getMany } from "../lib/kv";
import type { OwedWrite } from "./outbox";

/** What the writer keeps of its article's thread besides the pages themselves. */
interface ThreadMeta {
  article: string;
  count: number;
  /** Pages, counting page 0. */
  pages: number;
  /** The KV head predates pages: its whole-thread value goes with the next flush. */
  legacy?: true;
}

export const THREAD_GROUP = "thread";
const META = "thread";
const pageKey = (page: number) => `page:${page}`;
const whereKey = (id: string) => `where:${id}`;

/**
 * The public thread as its article's writer holds it: pages in the object's own storage (the
 * source it changes), from which it owes KV the head and the pages a change touched. It is the
 * only writer of these keys, so it never reads back what it wrote. First opened on an article
 * written before the writer existed, it starts from the head in KV and reads older pages from KV
 * as they are needed.
 */
export class ThreadState {
  private readonly pages = new Map<number, PublicComment[]>();
  private readonly dirty = new Set<number>();
  private readonly moved = new Map<string, number | null>();
  /** KV page keys a relayout left behind, to delete after the head. */
  private readonly stale = new Set<number>();
  /** Pages past the end after a relayout, to drop from storage. */
  private readonly dropped = new Set<number>();

  private constructor(
    private readonly storage: DurableObjectStorage,
    private readonly kv: KVNamespace,
    private readonly a: string,
    private readonly meta: ThreadMeta,
  ) {}

  static async open(storage: DurableObjectStorage, kv: KVNamespace, a: string, article: string): Promise<ThreadState> {
    const meta = await storage.get<ThreadMeta>(META);
    if (meta) return new ThreadState(storage, kv, a, meta);
    const head = await kv.get<ThreadHead>(commentKeys.head(a), "json");
    const state = new ThreadState(storage, kv, a, { article: head?.article || article, count: head?.count ?? 0, pages: head?.pages ?? 1, ...(head && head.pages === undefined ? { legacy: true as const } : {}) });
    state.pages.set(0, head?.items ?? []);
    if (state.meta.pages > 1) state.pages.set(state.meta.pages - 1, head?.tail ?? []);
    await storage.put({ [META]: state.meta, ...Object.fromEntries([...state.pages].map(([page, items]) => [pageKey(page), items])) });
    return state;
  }

  /** Something changed since it was opened (or last saved). */
  get changed(): boolean {
    return this.dirty.size > 0 || this.stale.size > 0;
  }

  /** The pages as they are, for a comparison with a repair's. */
  async layout(): Promise<PublicComment[][]> {
    await this.all();
    return Array.from({ length: this.meta.pages }, (_, page) => this.pages.get(page)!);
  }

  get count(): number {
    return this.meta.count;
  }

  private get last(): number {
    return this.meta.pages - 1;
  }

  private async page(page: number): Promise<PublicComment[]> {
    let items = this.pages.get(page);
    if (items) return items;
    items = (await this.storage.get<PublicComment[]>(pageKey(page))) ?? (await this.kv.get<PublicComment[]>(commentKeys.page(this.a, page), "json")) ?? [];
    this.pages.set(page, items);
    return items;
  }

  private touch(page: number): void {
    this.dirty.add(page);
  }

  /** Append a newly published comment to the last page (or a new one); returns it with its place. */
  async publish(comment: StoredComment, now: number): Promise<StoredComment> {
    const placed: StoredComment = { ...comment, publishedAt: comment.publishedAt ?? now };
    const item = toPublic(placed);
    let page = this.last;
    const items = await this.page(page);
    if (!roomFor(items.length, sizeOf(items), sizeOf(item))) {
      // The full last page leaves the head for a key of its own.
      if (page > 0) this.touch(page);
      page += 1;
      this.meta.pages = page + 1;
      this.pages.set(page, []);
      this.stale.delete(page);
      this.dropped.delete(page);
    }
    this.pages.get(page)!.push(item);
    this.touch(page);
    this.moved.set(comment.id, page);
    this.meta.count += 1;
    return { ...placed, page };
  }

  /** Take a comment off the thread. False when it is not on it. */
  async remove(comment: StoredComment): Promise<boolean> {
    const found = await this.locate(comment);
    if (!found) return false;
    found.items.splice(found.index, 1);
    this.touch(found.page);
    this.moved.set(comment.id, null);
    this.meta.count = Math.max(0, this.meta.count - 1);
    return true;
  }

  /** Show a published comment's new text; returns the page it is on, null when it is not on the thread. */
  async replace(comment: StoredComment): Promise<number | null> {
    const found = await this.locate(comment);
    if (!found) return null;
    found.items[found.index] = toPublic(comment);
    this.touch(found.page);
    return found.page;
  }

  async has(comment: StoredComment): Promise<boolean> {
    return (await this.locate(comment)) !== null;
  }

  /** Every comment on the thread, in order (for a relayout). */
  private async all(): Promise<PublicComment[]> {
    const unread = Array.from({ length: this.meta.pages }, (_, page) => page).filter((page) => !this.pages.has(page));
    const stored = await this.storage.get<PublicComment[]>(unread.map(pageKey));
    const missing = unread.filter((page) => !stored.has(pageKey(page)));
    const fromKv = await getMany<PublicComment[]>(this.kv, missing.map((page) => commentKeys.page(this.a, page)));
    for (const page of unread) this.pages.set(page, stored.get(pageKey(page)) ?? fromKv.get(commentKeys.page(this.a, page)) ?? []);
    return Array.from({ length: this.meta.pages }, (_, page) => this.pages.get(page)!).flat();
  }

  /**
   * Add comments published elsewhere (an import), in time order among those already shown: at the
   * end when they are newer than the thread's last comment, else by laying the thread out again.
   * Returns them with their places.
   */
  async insert(comments: StoredComment[], now: number): Promise<StoredComment[]> {
    const sorted = [...comments].sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1));
    const lastItem = (await this.page(this.last)).at(-1);
    if (!lastItem || new Date(lastItem.createdAt).getTime() <= sorted[0]!.createdAt) {
      const placed: StoredComment[] = [];
      for (const comment of sorted) placed.push(await this.publish({ ...comment, publishedAt: comment.publishedAt ?? comment.createdAt }, now));
      return placed;
    }
    const items = [...(await this.all()), ...sorted.map(toPublic)].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0));
    const places = this.lay(packPages(items));
    this.meta.count += sorted.length;
    return sorted.map((comment) => ({ ...comment, publishedAt: comment.publishedAt ?? comment.createdAt, page: places.get(comment.id)! }));
  }

  /** Replace the thread by `pages` (a repair from the comments themselves); `legacy`: KV still has the whole-thread value. */
  replaceAll(pages: PublicComment[][], { legacy = false } = {}): void {
    this.lay(pages);
    if (legacy) this.meta.legacy = true;
    this.meta.count = pages.reduce((sum, items) => sum + items.length, 0);
  }

  /** The thread as these pages; returns where each comment now is. */
  private lay(pages: PublicComment[][]): Map<string, number> {
    const before = this.meta.pages;
    const places = new Map<string, number>();
    this.pages.clear();
    pages.forEach((items, page) => {
      this.pages.set(page, items);
      this.touch(page);
      for (const item of items) places.set(item.id, page);
    });
    this.meta.pages = Math.max(1, pages.length);
    // Keyed pages were 1 … before-2; now 1 … last-1 (the last page lives in the head).
    for (let page = Math.max(1, this.last); page < before - 1; page++) this.stale.add(page);
    for (let page = this.meta.pages; page < before; page++) this.dropped.add(page);
    for (const [id, page] of places) this.moved.set(id, page);
    return places;
  }

  /** The comment's page: the writer's own index, else the one the comment says, else a look through the first pages. */
  private async locate(comment: StoredComment): Promise<{ page: number; index: number; items: PublicComment[] } | null> {
    const indexed = this.moved.has(comment.id) ? this.moved.get(comment.id) : await this.storage.get<number>(whereKey(comment.id));
    if (indexed === null) return null;
    const candidates = indexed !== undefined ? [indexed] : comment.page !== undefined ? [comment.page] : Array.from({ length: Math.min(this.meta.pages, 100) }, (_, i) => i);
    for (const page of candidates) {
      if (page > this.last) continue;
      const items = await this.page(page);
      const index = items.findIndex((item) => item.id === comment.id);
      if (index >= 0) return { page, index, items };
    }
    return null;
  }

  /** The KV writes this change owes: pages it touched, then the head, then page keys no longer used. */
  async owed(now: number): Promise<OwedWrite[]> {
    // The head carries page 0 and the last page, whichever this change touched.
    await Promise.all([this.page(0), this.page(this.last)]);
    const writes: OwedWrite[] = [];
    const write = (key: string, value: string | null, order: number, metadata?: unknown) => writes.push({ key, value, order, group: THREAD_GROUP, ...(metadata ? { metadata } : {}) });
    for (const page of this.dirty) if (page > 0 && page < this.last) write(commentKeys.page(this.a, page), JSON.stringify(this.pages.get(page)), 0);
    const head: ThreadHead = { article: this.meta.article, count: this.meta.count, items: this.pages.get(0) ?? [], pages: this.meta.pages, ...(this.last > 0 ? { tail: this.pages.get(this.last) ?? [] } : {}) };
    write(commentKeys.head(this.a), JSON.stringify(head), 1, { t: now, n: head.count, v: THREAD_LAYOUT } satisfies HeadMetadata);
    for (const page of this.stale) write(commentKeys.page(this.a, page), null, 2);
    if (this.meta.legacy) write(commentKeys.legacyAll(this.a), null, 2);
    return writes;
  }

  /** Keep the change in the object's storage; call before answering. */
  async save(): Promise<void> {
    const entries: Record<string, unknown> = { [META]: { ...this.meta, legacy: undefined } };
    for (const page of this.dirty) if (page <= this.last) entries[pageKey(page)] = this.pages.get(page);
    const gone: string[] = [...this.dropped].map(pageKey);
    for (const [id, page] of this.moved) {
      if (page === null) gone.push(whereKey(id));
      else entries[whereKey(id)] = page;
    }
    const list = Object.entries(entries);
    for (let start = 0; start < list.length; start += 128) await this.storage.put(Object.fromEntries(list.slice(start, start + 128)));
    for (let start = 0; start < gone.length; start += 128) await this.storage.delete(gone.slice(start, start + 128));
    delete this.meta.legacy;
    this.dirty.clear();
    this.moved.clear();
    this.stale.clear();
    this.dropped.clear();
  }
}
