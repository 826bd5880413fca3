// The public thread's layout in pages, from its comments: what a repair (and the simulator's seed)
// lays out. Apart from thread.ts (reading it) so that a cold start for a page view does not compile it.
import { toPublic, type PublicComment, type StoredComment } from "./model";
import { PAGE_BYTES, PAGE_SIZE, sizeOf, type ThreadHead } from "./thread";

/** Publication order; comments from before `publishedAt` existed count as published when written. */
const publishedAt = (comment: StoredComment) => comment.publishedAt ?? comment.createdAt;
const byPublication = (x: StoredComment, y: StoredComment) => publishedAt(x) - publishedAt(y) || (x.id < y.id ? -1 : 1);

export const roomFor = (items: number, pageBytes: number, itemBytes: number) => items < PAGE_SIZE && pageBytes + itemBytes <= PAGE_BYTES;

/** Comments packed into pages in the order given, the way publishing one at a time would. */
export function packPages(items: PublicComment[]): PublicComment[][] {
  const pages: PublicComment[][] = [[]];
  let bytes = 2;
  for (const item of items) {
    const itemBytes = sizeOf(item);
    if (!roomFor(pages.at(-1)!.length, bytes, itemBytes)) {
      pages.push([]);
      bytes = 2;
    }
    bytes += itemBytes + (pages.at(-1)!.length > 0 ? 1 : 0);
    pages.at(-1)!.push(item);
  }
  return pages;
}


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

/** The head for a thread laid out in `pages`: the count, page 0 and the last page. */
export function headOf(article: string, pages: PublicComment[][]): ThreadHead {
  const count = pages.reduce((sum, page) => sum + page.length, 0);
  return { article, count, items: pages[0] ?? [], pages: Math.max(1, pages.length), ...(pages.length > 1 ? { tail: pages.at(-1)! } : {}) };
}
