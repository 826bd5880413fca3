import type { ListView, StoredEntry, StorePage } from "./sorted-store";
import { isExpired } from "./sorted-store";

/**
 * The "central" store kept in a real KV binding (miniflare's, in worker tests), so tests can still
 * look at the data with the plain binding. Expiry is kept here rather than handed to the binding:
 * the model's clock may be faked, and miniflare checks expirations against the real one.
 */
export class BackingStore {
  private readonly expirations = new Map<string, number>();

  constructor(private readonly kv: KVNamespace) {}

  async read(key: string): Promise<StoredEntry | null> {
    const { value, metadata } = await this.kv.getWithMetadata(key, "arrayBuffer");
    if (value === null) return null;
    return {
      value: new Uint8Array(value),
      ...(metadata === null || metadata === undefined ? {} : { metaJson: JSON.stringify(metadata) }),
      ...(this.expirations.has(key) ? { expiration: this.expirations.get(key) } : {}),
    };
  }

  async write(key: string, entry: StoredEntry): Promise<void> {
    if (entry.expiration === undefined) this.expirations.delete(key);
    else this.expirations.set(key, entry.expiration);
    await this.kv.put(key, entry.value, entry.metaJson === undefined ? {} : { metadata: JSON.parse(entry.metaJson) });
  }

  async remove(key: string): Promise<void> {
    this.expirations.delete(key);
    await this.kv.delete(key);
  }

  /** Small data only (worker tests): lists the whole prefix, then pages it the model's way. */
  async page(prefix: string, after: string | undefined, limit: number, nowMs: number): Promise<StorePage> {
    const live: ListView[] = [];
    let cursor: string | undefined;
    do {
      const page: KVNamespaceListResult<unknown> = await this.kv.list({ prefix, cursor });
      for (const key of page.keys) {
        if (after !== undefined && key.name <= after) continue;
        const view: ListView = { name: key.name };
        if (key.metadata !== undefined && key.metadata !== null) view.metaJson = JSON.stringify(key.metadata);
        const expiration = this.expirations.get(key.name);
        if (expiration !== undefined) view.expiration = expiration;
        if (!isExpired(view, nowMs)) live.push(view);
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return { views: live.slice(0, limit), complete: live.length <= limit };
  }
}
