/**
 * The in-memory "central" store of the KV model: a Map for point reads plus a sorted key index
 * for list(prefix, cursor). Built for millions of keys: bulk loads are sorted once, lazily; later
 * new keys go to a small sorted side array that is merged into the main one now and then, so a
 * write never re-sorts the whole index and a list never scans it.
 */

export interface StoredEntry {
  /** Strings stay strings (the common case); binary values are kept as bytes. */
  value: string | Uint8Array;
  /** Metadata as its JSON serialisation, parsed afresh on every read as production does. */
  metaJson?: string;
  /** Seconds since the epoch, like KV's own `expiration`. */
  expiration?: number;
}

export interface ListView {
  name: string;
  metaJson?: string;
  expiration?: number;
}

export interface StorePage {
  views: ListView[];
  /** No indexed key with the prefix follows the last view. */
  complete: boolean;
}

const MERGE_AT = 16_384;
/** Pages kept for repeated lists (up to 1,000 keys each). */
const MAX_PAGES_HELD = 500;

export const isExpired = (entry: { expiration?: number }, nowMs: number) => entry.expiration !== undefined && entry.expiration * 1000 <= nowMs;

/** First index in a sorted array whose key is >= `key` (or > it, with `exclusive`). */
function lowerBound(keys: string[], key: string, exclusive: boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const k = keys[mid]!;
    if (k < key || (exclusive && k === key)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Merge two sorted arrays, dropping keys `keep` rejects (deleted slots). */
function mergeSorted(a: string[], b: string[], keep: (key: string) => boolean): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const key = j >= b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!;
    if (keep(key)) out.push(key);
  }
  return out;
}

export class SortedStore {
  /** `null` marks a deleted key that is still in the index (until the next merge drops it). */
  private readonly entries = new Map<string, StoredEntry | null>();
  private main: string[] = [];
  private recent: string[] = [];
  /** Bulk-loaded keys not yet sorted into `main`. */
  private unsorted: string[] = [];
  /**
   * Pages served lately, per prefix, until a key with that prefix changes: a big article's votes
   * are listed again and again between votes (only pages without expiring keys, so not time-bound).
   */
  private readonly pages = new Map<string, Map<string, StorePage>>();
  private pagesHeld = 0;

  get size(): number {
    return this.entries.size;
  }

  read(key: string): StoredEntry | null {
    return this.entries.get(key) ?? null;
  }

  write(key: string, entry: StoredEntry): void {
    this.forgetPages(key);
    const known = this.entries.has(key);
    this.entries.set(key, entry);
    if (!known) this.insert(key);
  }

  /** Bulk load: no ordering work until the first list. */
  load(key: string, entry: StoredEntry): void {
    this.forgetPages(key);
    if (!this.entries.has(key)) this.unsorted.push(key);
    this.entries.set(key, entry);
  }

  remove(key: string): void {
    this.forgetPages(key);
    if (this.entries.has(key)) this.entries.set(key, null);
  }

  /** Up to `limit` live keys with `prefix`, strictly after `after` when given. Do not modify the page. */
  page(prefix: string, after: string | undefined, limit: number, nowMs: number): StorePage {
    const id = `${after === undefined ? "-" : `+${after}`}\u0000${limit}`;
    const known = this.pages.get(prefix)?.get(id);
    if (known) return known;
    const { page, timed } = this.scan(prefix, after, limit, nowMs);
    if (!timed) this.remember(prefix, id, page);
    return page;
  }

  private remember(prefix: string, id: string, page: StorePage): void {
    if (this.pagesHeld >= MAX_PAGES_HELD) {
      this.pages.clear();
      this.pagesHeld = 0;
    }
    let byPrefix = this.pages.get(prefix);
    if (!byPrefix) this.pages.set(prefix, (byPrefix = new Map()));
    byPrefix.set(id, page);
    this.pagesHeld += 1;
  }

  private forgetPages(key: string): void {
    if (this.pagesHeld === 0) return;
    for (const [prefix, byPrefix] of this.pages) {
      if (!key.startsWith(prefix)) continue;
      this.pagesHeld -= byPrefix.size;
      this.pages.delete(prefix);
    }
  }

  /** The page, and whether any key it passed has an expiration (so it depends on the time). */
  private scan(prefix: string, after: string | undefined, limit: number, nowMs: number): { page: StorePage; timed: boolean } {
    this.settleUnsorted();
    let timed = false;
    const start = after !== undefined && after >= prefix ? after : prefix;
    const exclusive = after !== undefined && after >= prefix;
    let i = lowerBound(this.main, start, exclusive);
    let j = lowerBound(this.recent, start, exclusive);
    const views: ListView[] = [];
    for (;;) {
      const fromMain = j >= this.recent.length || (i < this.main.length && this.main[i]! < this.recent[j]!);
      const key = fromMain ? this.main[i] : this.recent[j];
      if (key === undefined || !key.startsWith(prefix)) return { page: { views, complete: true }, timed };
      const entry = this.entries.get(key);
      if (entry && entry.expiration !== undefined) timed = true;
      if (entry && !isExpired(entry, nowMs)) {
        if (views.length === limit) return { page: { views, complete: false }, timed };
        views.push({ name: key, metaJson: entry.metaJson, expiration: entry.expiration });
      }
      if (fromMain) i += 1;
      else j += 1;
    }
  }

  private insert(key: string): void {
    this.recent.splice(lowerBound(this.recent, key, false), 0, key);
    if (this.recent.length >= MERGE_AT) this.mergeRecent();
  }

  private mergeRecent(): void {
    const live = (key: string) => {
      if (this.entries.get(key) !== null) return true;
      this.entries.delete(key);
      return false;
    };
    this.main = mergeSorted(this.main, this.recent, live);
    this.recent = [];
  }

  private settleUnsorted(): void {
    if (this.unsorted.length === 0) return;
    // load() and write() only index a key the Map has never seen, so there are no duplicates.
    const fresh = this.unsorted.sort();
    this.unsorted = [];
    this.main = this.main.length === 0 ? fresh : mergeSorted(this.main, fresh, () => true);
  }
}
