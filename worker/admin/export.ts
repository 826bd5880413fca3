import { FEEDBACK_PREFIX, type StoredFeedback } from "../feedback/store";
import { budgetedKv, getMany, KV_OPERATIONS_PER_INVOCATION, listAll } from "../lib/kv";
import { commentKeys } from "../comments/keys";
import type { StoredComment } from "../comments/model";
import { ApiError, StorageUnavailable } from "../http/errors";
import { readAttention, type Attention } from "../cron/attention";
import { earlierKeys, ratingKeys, resetKeys, type EarlierMetadata, type StoredAggregate, type StoredEarlier, type VoteMetadata } from "../ratings/keys";

const encoder = new TextEncoder();

/** What one response may spend: a page of 1,000 keys costs at most PAGE_OPERATIONS more. */
export const EXPORT_OPERATIONS = KV_OPERATIONS_PER_INVOCATION - 100;
/**
 * Worst case of one listed page: 1 list(), a bulk get per 100 keys for the articles' names, and
 * the cron's attention set (read once per response, by the first page that needs it).
 */
export const PAGE_OPERATIONS = 12;
/** Records per response unless `limit` says otherwise: a small site's export is one response. */
export const EXPORT_LIMIT = 5000;
export const MAX_EXPORT_LIMIT = 10_000;
const LIST_PAGE = 1000;

/** The kinds of record, in export order; a cursor says which one and where in its key list. */
const PHASES = ["votes", "earlier", "comments", "feedback"] as const;
type Phase = (typeof PHASES)[number];
interface Position {
  phase: Phase;
  /** list() cursor within the phase; absent at its start. */
  list?: string;
}

const base64url = (text: string) => btoa(String.fromCharCode(...encoder.encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function encodeCursor(position: Position): string {
  return base64url(JSON.stringify(position));
}

/** The opaque `cursor` of a `continue` record back into a position; 400 when it is not one. */
export function parseExportCursor(cursor: string | undefined): Position {
  if (!cursor) return { phase: "votes" };
  try {
    const bytes = Uint8Array.from(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    const position = JSON.parse(new TextDecoder().decode(bytes)) as Position;
    if (PHASES.includes(position.phase) && (position.list === undefined || typeof position.list === "string")) return position;
  } catch {
    // Reported below, like any other cursor this server did not hand out.
  }
  throw invalidCursor();
}

const invalidCursor = () => new ApiError(400, "invalid_cursor", "`cursor` must be the cursor of a previous export page's `continue` record.");

export function parseExportLimit(limit: string | undefined): number {
  if (!limit) return EXPORT_LIMIT;
  const value = Number(limit);
  if (!Number.isInteger(value) || value < 1 || value > MAX_EXPORT_LIMIT) throw new ApiError(400, "invalid_limit", `\`limit\` must be a whole number from 1 to ${MAX_EXPORT_LIMIT}.`);
  return value;
}

type Line = (value: unknown) => void;

const articleKeyOf = (name: string, prefix: string) => name.slice(prefix.length).split(":")[0]!;

/** Reset times by article id: resets are rare admin actions, listed once per response (1 list per 1,000). */
async function resetTimes(kv: KVNamespace): Promise<Map<string, number>> {
  const resets = new Map<string, number>();
  for await (const key of listAll<{ t: number }>(kv, resetKeys.prefix)) resets.set(key.name.slice(resetKeys.prefix.length), key.metadata?.t ?? 0);
  return resets;
}

/**
 * Names of the articles behind these ids, from their aggregates: one bulk get per 100. A vote whose
 * aggregate is not written yet (a cron recount or a deferred write away) has its article in the
 * cron's attention set, read once per response and only then.
 */
async function articleNames(kv: KVNamespace, ids: string[], attention: () => Promise<Attention>) {
  const unique = [...new Set(ids)];
  const names = new Map<string, string>();
  for (const [key, aggregate] of await getMany<StoredAggregate>(kv, unique.map(ratingKeys.aggregate))) names.set(key.slice(ratingKeys.aggregatePrefix.length), aggregate.article);
  if (unique.some((a) => !names.get(a))) {
    for (const entry of Object.values(await attention())) if (entry.kind === "rating" && !names.get(entry.a)) names.set(entry.a, entry.article);
  }
  return (a: string) => names.get(a) || null;
}

const PREFIXES: Record<Phase, string> = { votes: ratingKeys.allVotesPrefix, earlier: earlierKeys.prefix, comments: commentKeys.allCommentsPrefix, feedback: FEEDBACK_PREFIX };

type Listed = KVNamespaceListResult<unknown, string>;

function listPage(kv: KVNamespace, position: Position, limit: number): Promise<Listed> {
  return kv.list<unknown>({ prefix: PREFIXES[position.phase], cursor: position.list, limit: Math.min(LIST_PAGE, limit) });
}

/** One list() page of a phase written as records; returns the list cursor to go on from, or null at its end. */
/** What a response reads once, when a page first needs it. */
interface Once {
  resets: () => Promise<Map<string, number>>;
  attention: () => Promise<Attention>;
}

async function exportPage(kv: KVNamespace, position: Position, page: Listed, once: Once, line: Line): Promise<{ records: number; next: string | null }> {
  const prefix = PREFIXES[position.phase];
  const next = page.list_complete ? null : page.cursor;
  if (position.phase === "comments") {
    for (const comment of (await getMany<StoredComment>(kv, page.keys.map(({ name }) => name))).values()) {
      // Where a comment sits in the materialised thread is this Worker's own layout: a restore lays
      // the thread out afresh, in creation order.
      const { editTokenHash: _secret, page: _page, publishedAt: _publishedAt, ...rest } = comment;
      line({ type: "comment", ...rest, createdAt: new Date(rest.createdAt).toISOString(), editedAt: rest.editedAt === null ? null : new Date(rest.editedAt).toISOString() });
    }
    return { records: page.keys.length, next };
  }
  if (position.phase === "feedback") {
    for (const { id, article, rating, body, createdAt, voter } of (await getMany<StoredFeedback>(kv, page.keys.map(({ name }) => name))).values()) {
      line({ type: "feedback", id, article, rating, body, createdAt: new Date(createdAt).toISOString(), voter });
    }
    return { records: page.keys.length, next };
  }
  const resetAt = await once.resets();
  if (position.phase === "votes") {
    const keys = page.keys as KVNamespaceListKey<VoteMetadata>[];
    // Imported votes carry their article in their metadata (listed at no cost); cast ones have an aggregate.
    const articleOf = await articleNames(kv, keys.filter((key) => !key.metadata?.article).map(({ name }) => articleKeyOf(name, prefix)), once.attention);
    for (const key of keys) {
      const [, a, voter] = key.name.split(":");
      // Cast before an admin reset: no longer part of the article's rating.
      if ((key.metadata?.t ?? 0) <= (resetAt.get(a!) ?? 0)) continue;
      line({ type: "vote", article: key.metadata?.article ?? articleOf(a!), articleKey: a, voter, rating: key.metadata?.r ?? null, at: key.metadata ? new Date(key.metadata.t).toISOString() : null });
    }
    return { records: page.keys.length, next };
  }
  const values = await getMany<StoredEarlier>(kv, page.keys.map(({ name }) => name));
  for (const key of page.keys as KVNamespaceListKey<EarlierMetadata>[]) {
    const a = articleKeyOf(key.name, prefix);
    if (!key.metadata || key.metadata.t <= (resetAt.get(a) ?? 0)) continue;
    line({ type: "earlier", article: values.get(key.name)?.article ?? null, articleKey: a, count: key.metadata.n, sum: key.metadata.s, at: new Date(key.metadata.t).toISOString() });
  }
  return { records: page.keys.length, next };
}

/**
 * Every vote (voter as its HMAC id), earlier vote total and comment (without its edit-token hash)
 * as NDJSON, streamed, from `position` on. One response lists at most `limit` keys and spends at
 * most EXPORT_OPERATIONS KV operations; if more remain, its last line is
 * `{"type": "continue", "cursor"}` and the same request with that cursor goes on from there.
 * The first list() runs before the response starts, so a cursor KV refuses, or KV being down,
 * is an error status rather than a truncated 200.
 */
export async function exportPageStream(kv: KVNamespace, position: Position, limit: number, now: number): Promise<ReadableStream<Uint8Array>> {
  const metered = budgetedKv(kv, EXPORT_OPERATIONS);
  let firstPage: Listed | undefined;
  try {
    firstPage = await listPage(metered.kv, position, limit);
  } catch (error) {
    if (error instanceof StorageUnavailable && /cursor/i.test(String((error.cause as Error | undefined)?.message))) throw invalidCursor();
    throw error;
  }
  return new ReadableStream({
    async start(controller) {
      const line: Line = (value) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const first = position.phase === "votes" && position.list === undefined;
        if (first) line({ type: "export", version: 1, exportedAt: new Date(now).toISOString() });
        let at: Position | null = position;
        let listed = 0;
        let resets: Promise<Map<string, number>> | undefined;
        let attention: Promise<Attention> | undefined;
        const once: Once = { resets: () => (resets ??= resetTimes(metered.kv)), attention: () => (attention ??= readAttention(metered.kv)) };
        while (at && listed < limit && metered.left() >= PAGE_OPERATIONS) {
          const page: Listed = firstPage ?? (await listPage(metered.kv, at, limit - listed));
          firstPage = undefined;
          const { records, next }: { records: number; next: string | null } = await exportPage(metered.kv, at, page, once, line);
          listed += records;
          const phase: Phase | undefined = PHASES[PHASES.indexOf(at.phase) + 1];
          at = next !== null ? { phase: at.phase, list: next } : phase ? { phase } : null;
        }
        if (at) line({ type: "continue", cursor: encodeCursor(at) });
        controller.close();
      } catch (error) {
        // The status line is long gone: end the stream with an error the client sees as truncation.
        controller.error(error);
      }
    },
  });
}
