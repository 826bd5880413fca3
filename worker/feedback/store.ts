/**
 * Private feedback on low ratings: what a reader who gave few stars says could be better. Only
 * moderators ever read it (never public), newest first across articles.
 *
 *   feedback:{newest first}:{a}:{random}   JSON StoredFeedback   one per answer
 */
import { getMany } from "../lib/kv";
import type { ListedFeedback } from "./model";

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


export const FEEDBACK_PREFIX = "feedback:";
const PREFIX = FEEDBACK_PREFIX;
/** `{inverted time}.{a}.{random}`: the key without its prefix, with dots (ids travel in URLs). */
export const FEEDBACK_ID = /^\d{13}\.[A-Za-z0-9_-]{22}\.[a-z0-9]{10}$/;

const newestFirst = (at: number) => String(9_999_999_999_999 - at).padStart(13, "0");
export const feedbackKey = (id: string) => PREFIX + id.replaceAll(".", ":");
const keyOf = feedbackKey;
const idOf = (key: string) => key.slice(PREFIX.length).replaceAll(":", ".");

export function newFeedbackId(a: string, now: number): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) => (byte % 36).toString(36)).join("");
  return `${newestFirst(now)}.${a}.${random}`;
}

export async function saveFeedback(kv: KVNamespace, feedback: StoredFeedback): Promise<void> {
  await kv.put(keyOf(feedback.id), JSON.stringify(feedback));
}

const listed = ({ id, article, rating, body, createdAt }: StoredFeedback): ListedFeedback => ({ id, article, rating, body, createdAt: new Date(createdAt).toISOString() });

/** A page of answers, newest first: one list() and one bulk get per 100. */
export async function listFeedback(kv: KVNamespace, limit: number, cursor: string | undefined): Promise<{ feedback: ListedFeedback[]; cursor: string | null }> {
  const page = await kv.list({ prefix: PREFIX, limit, cursor });
  const found = await getMany<StoredFeedback>(kv, page.keys.map(({ name }) => name));
  return {
    feedback: page.keys.flatMap(({ name }) => (found.has(name) ? [listed({ ...found.get(name)!, id: idOf(name) })] : [])),
    cursor: page.list_complete ? null : page.cursor,
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
