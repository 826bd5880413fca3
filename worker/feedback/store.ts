/**
 * Private feedback on low ratings: what a reader who gave few stars says could be better. Only
 * moderators ever read it (never public), newest first across articles.
 *
 *   feedback:{a}:{voter}                   JSON StoredFeedback, metadata {t}   one per voter per article: a new answer replaces it
 *   feedback:{newest first}:{a}:{random}   JSON StoredFeedback                 as answers were kept before; still listed and deleted
 */
import { waitForTurn } from "../coordination/turns";
import { getMany, listPages } from "../lib/kv";
import { FEEDBACK_ID, type ListedFeedback } from "./model";

export interface StoredFeedback {
  id: string;
  article: string;
  /** The voter's rating when they answered. */
  rating: number;
  body: string;
  createdAt: number;
  /** HMAC of the voter token, as on votes: never the token. */
  voter: string;
}

interface FeedbackMetadata {
  t: number;
}

export const FEEDBACK_PREFIX = "feedback:";
const PREFIX = FEEDBACK_PREFIX;
// An id is the key without its prefix, with dots (ids travel in URLs).
export { FEEDBACK_ID };
/** Answers one /admin request sorts, newest first: 10 list() calls. */
export const MAX_LISTED_FEEDBACK = 10_000;

export const feedbackKey = (id: string) => PREFIX + id.replaceAll(".", ":");
const keyOf = feedbackKey;
const idOf = (key: string) => key.slice(PREFIX.length).replaceAll(":", ".");

/** A voter's answer on an article always has this id, so a new one replaces the last. */
export const voterFeedbackId = (a: string, voter: string) => `${a}.${voter}`;

/** When an answer was given, from its key alone: its metadata, or the time an older key starts with. */
function listedTime(name: string, metadata: FeedbackMetadata | undefined): number {
  if (metadata && Number.isFinite(metadata.t)) return metadata.t;
  const inverted = /^\d{13}(?=:)/.exec(name.slice(PREFIX.length))?.[0];
  return inverted ? 9_999_999_999_999 - Number(inverted) : 0;
}

/** Save (or replace) an answer; a voter sending twice in a second waits for the key's turn. */
export async function saveFeedback(kv: KVNamespace, a: string, feedback: StoredFeedback): Promise<void> {
  const key = keyOf(feedback.id);
  await waitForTurn(kv, a, [key]);
  await kv.put(key, JSON.stringify(feedback), { metadata: { t: feedback.createdAt } satisfies FeedbackMetadata });
}

const listed = ({ id, article, rating, body, createdAt }: StoredFeedback): ListedFeedback => ({ id, article, rating, body, createdAt: new Date(createdAt).toISOString() });

/**
 * A page of answers, newest first; the cursor is an offset. Answers are keyed by voter (so a new
 * one replaces the last), not by time: every key is listed with its time (one list() per 1,000,
 * at most MAX_LISTED_FEEDBACK), then one bulk get per 100 for the page.
 */
export async function listFeedback(kv: KVNamespace, limit: number, offset: number): Promise<{ feedback: ListedFeedback[]; cursor: string | null }> {
  const all: { name: string; t: number }[] = [];
  for await (const keys of listPages<FeedbackMetadata>(kv, PREFIX)) {
    for (const { name, metadata } of keys) all.push({ name, t: listedTime(name, metadata) });
    if (all.length >= MAX_LISTED_FEEDBACK) break;
  }
  all.sort((x, y) => y.t - x.t);
  const page = all.slice(offset, offset + limit).map(({ name }) => name);
  const found = await getMany<StoredFeedback>(kv, page);
  return {
    feedback: page.flatMap((name) => (found.has(name) ? [listed({ ...found.get(name)!, id: idOf(name) })] : [])),
    cursor: offset + limit < all.length ? String(offset + limit) : null,
  };
}

export async function deleteFeedback(kv: KVNamespace, id: string): Promise<void> {
  await kv.delete(keyOf(id));
}

/** Every answer, for the NDJSON export: one list() per 1,000 and one bulk get per 100. */
export async function* allFeedback(kv: KVNamespace): AsyncGenerator<StoredFeedback> {
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await kv.list({ prefix: PREFIX, cursor });
    const found = await getMany<StoredFeedback>(kv, page.keys.map(({ name }) => name));
    yield* found.values();
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}
