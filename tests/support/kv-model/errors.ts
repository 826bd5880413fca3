/**
 * The errors production Workers KV throws, with production's wording, so code under test can
 * recognise them by message exactly as it must in production. Sources:
 * - per-key write rate: Cloudflare docs "Limits to KV writes to the same key" (429) and the message
 *   reported by users, e.g. github.com/rhinobase/hono-rate-limiter/issues/34
 *   ("KV PUT failed: 429 Too Many Requests");
 * - per-invocation: developers.cloudflare.com/kv/platform/limits (1,000 operations per invocation),
 *   message "Too many API requests by single worker invocation." as reported in many projects;
 * - daily Free-plan quotas: "KV put() limit exceeded for the day." (and get()/delete()/list()),
 *   as reported by projects that ran out of quota;
 * - validation: the runtime's own messages (workerd's KV binding, probed against miniflare 4.20260426).
 */

export type KvOperation = "GET" | "GET_BULK" | "PUT" | "DELETE" | "LIST";

/** A failed KV call as the runtime reports an HTTP error from KV: "KV PUT failed: 429 Too Many Requests". */
export function kvHttpError(operation: KvOperation, status: number, text: string): Error {
  return new Error(`KV ${operation} failed: ${status} ${text}`);
}

export const perKeyWriteRateError = (operation: "PUT" | "DELETE") => kvHttpError(operation, 429, "Too Many Requests");

export const INVOCATION_LIMIT_MESSAGE = "Too many API requests by single worker invocation.";
export const invocationLimitError = () => new Error(INVOCATION_LIMIT_MESSAGE);

/** The Free plan's daily quota per billed kind, named by the binding method production names. */
export const QUOTA_METHOD = { reads: "get", writes: "put", deletes: "delete", lists: "list" } as const;
export const dailyQuotaError = (kind: keyof typeof QUOTA_METHOD) => new Error(`KV ${QUOTA_METHOD[kind]}() limit exceeded for the day.`);

/** True for any of the production limit errors above (for callers that classify failures). */
export function isKvLimitError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message === INVOCATION_LIMIT_MESSAGE || / failed: 429 /.test(message) || /limit exceeded for the day\.$/.test(message);
}
