import { ApiError, StorageQuotaExceeded, StorageUnavailable } from "../http/errors";
import type { ArticleRef, ArticleWriter } from "./article-writer";
import type { Outcome } from "./refusal";

/** The writer of one article (see ArticleWriter): every change to the article goes through it. */
export function writerOf(env: Env, ref: ArticleRef): DurableObjectStub<ArticleWriter> {
  return env.ARTICLES.get(env.ARTICLES.idFromName(ref.a));
}

/**
 * Ask an article's writer for a change: what it answers, or its refusal as the route's error. A
 * writer that cannot be reached is a 503 with Retry-After; nothing it acknowledged before is lost.
 */
export async function askWriter<T>(env: Env, ref: ArticleRef, call: (writer: DurableObjectStub<ArticleWriter>) => Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await call(writerOf(env, ref));
  } catch (cause) {
    throw new StorageUnavailable(cause);
  }
  if ("ok" in outcome) return outcome.ok;
  const { status, code, message, field } = outcome.refused;
  if (code === "storage_quota_exceeded") throw new StorageQuotaExceeded(new Error(message));
  if (code === "storage_unavailable") throw new StorageUnavailable(new Error(message));
  throw new ApiError(status, code, message, field ? { field } : {});
}
