import { isQuotaError } from "../http/errors";

/** A KV write the article's writer owes: the newest value of one of its views (null deletes the key). */
export interface OwedWrite {
  key: string;
  value: string | null;
  metadata?: unknown;
  /** Keys of a group are written together, at most once a turn (a thread's head and its pages). */
  group: string;
  /** Lower first within a group: a page before the head that promises it. */
  order: number;
}

const PREFIX = "owed:";
/** Storage takes at most 128 keys per put or delete. */
const STORAGE_BATCH = 128;
/** A failed write is tried again this long after (KV had a hiccup, or another writer held the key). */
const RETRY_MS = 2_000;

/**
 * The views an article's writer still has to write to KV, kept in the object's own storage so an
 * eviction or a crash between a change and its flush loses nothing: the alarm writes them after a
 * restart. A key owed twice before its turn is written once, with the newer value, which is what
 * batches a burst of changes into one write per key and turn.
 */
export class Outbox {
  private readonly owed = new Map<string, OwedWrite & { version: number }>();
  private readonly writtenAt = new Map<string, number>();
  private version = 0;
  private retryAt = 0;
  private paying: Promise<void> | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    /** Time between two writes of one key (0 against a KV without the limit). */
    private readonly gapMs: () => number,
  ) {}

  async load(): Promise<void> {
    for (const write of (await this.storage.list<OwedWrite>({ prefix: PREFIX })).values()) this.owed.set(write.key, { ...write, version: 0 });
  }

  get size(): number {
    return this.owed.size;
  }

  /** Owe these writes, durably: stored before the caller answers anyone. */
  async owe(writes: OwedWrite[]): Promise<void> {
    for (const write of writes) this.owed.set(write.key, { ...write, version: ++this.version });
    for (let start = 0; start < writes.length; start += STORAGE_BATCH) {
      await this.storage.put(Object.fromEntries(writes.slice(start, start + STORAGE_BATCH).map((write) => [PREFIX + write.key, write])));
    }
  }

  /** When the next owed write may be made (epoch ms); null when nothing is owed. */
  dueAt(): number | null {
    let due: number | null = null;
    for (const group of new Set([...this.owed.values()].map((write) => write.group))) {
      const at = Math.max(this.retryAt, (this.writtenAt.get(group) ?? -Infinity) + this.gapMs());
      due = due === null ? at : Math.min(due, at);
    }
    return due;
  }

  /**
   * Make the owed writes whose turn has come, at most `maxOps` of them (an invocation's KV budget).
   * A failure keeps the rest owed and is tried again later: never lost, never the caller's error.
   */
  async pay(kv: KVNamespace, maxOps: number): Promise<void> {
    // One payer at a time; a change owed meanwhile waits for the next turn (the alarm).
    if (this.paying) return this.paying;
    this.paying = this.payDue(kv, maxOps).finally(() => (this.paying = null));
    return this.paying;
  }

  private async payDue(kv: KVNamespace, maxOps: number): Promise<void> {
    const now = Date.now();
    if (now < this.retryAt) return;
    const groups = new Map<string, (OwedWrite & { version: number })[]>();
    for (const write of this.owed.values()) {
      if ((this.writtenAt.get(write.group) ?? -Infinity) + this.gapMs() > now) continue;
      groups.set(write.group, [...(groups.get(write.group) ?? []), write]);
    }
    let ops = 0;
    for (const [group, writes] of groups) {
      if (ops >= maxOps) break;
      this.writtenAt.set(group, now);
      const paid: string[] = [];
      try {
        for (const write of writes.sort((x, y) => x.order - y.order)) {
          if (ops >= maxOps) break;
          ops += 1;
          if (write.value === null) await kv.delete(write.key);
          else await kv.put(write.key, write.value, write.metadata === undefined ? undefined : { metadata: write.metadata });
          // Owed again meanwhile: the newer value is still to be written.
          if (this.owed.get(write.key)?.version === write.version) {
            this.owed.delete(write.key);
            paid.push(PREFIX + write.key);
          }
        }
      } catch (error) {
        // Out of the day's writes: nothing will be taken before midnight UTC.
        this.retryAt = isQuotaError(error) ? nextUtcMidnight(now) : now + RETRY_MS;
        console.warn(`Could not write the views of group ${group}; trying again at ${new Date(this.retryAt).toISOString()}`, error);
      } finally {
        for (let start = 0; start < paid.length; start += STORAGE_BATCH) await this.storage.delete(paid.slice(start, start + STORAGE_BATCH));
      }
      if (this.retryAt > now) break;
    }
  }
}

function nextUtcMidnight(now: number): number {
  const day = 24 * 60 * 60 * 1000;
  return (Math.floor(now / day) + 1) * day + 60_000;
}
