import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error shape every route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** An error a client can act on: a status, a stable snake_case code and a readable sentence. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(status, { message });
  }
}

/** KV (or another platform service) failed: the client may retry later. */
export class StorageUnavailable extends ApiError {
  constructor(cause: unknown) {
    super(503, "storage_unavailable", "Storage is temporarily unavailable. Please try again in a moment.", {
      headers: { "Retry-After": "5" },
    });
    this.cause = cause;
  }
}

/** The per-network cap on first votes: enough different readers behind one address rated this article lately. */
export class VoteLimitReached extends ApiError {
  constructor() {
    super(429, "vote_limit", "Too many different readers on your network rated this article in the last hour. Please try again later.");
  }
}

/**
 * KV refuses this kind of operation until midnight UTC: the account used its plan's daily
 * quota (the Free plan has 1,000 writes a day). Reads usually still work, so page views do.
 */
export class StorageQuotaExceeded extends ApiError {
  constructor(cause: unknown) {
    super(503, "storage_quota_exceeded", "This site has used up today's storage allowance, so it cannot save changes until midnight UTC. Reading still works.", {
      headers: { "Retry-After": String(secondsUntilUtcMidnight()) },
    });
    this.cause = cause;
  }
}

function secondsUntilUtcMidnight(now = Date.now()): number {
  const day = 24 * 60 * 60 * 1000;
  return Math.ceil((day - (now % day)) / 1000);
}

/** Cloudflare's words for a daily KV quota refusal, e.g. "KV put() limit exceeded for the day." */
export const isQuotaError = (error: unknown) => error instanceof Error && /limit exceeded for the day/i.test(error.message);

// Hono and its middleware throw plain HTTPExceptions; give each status a code clients can switch on.
const CODE_FOR_STATUS: Record<number, [code: string, message: string]> = {
  400: ["bad_request", "The request could not be understood."],
  401: ["unauthorized", "A valid bearer token is required."],
  403: ["forbidden", "You are not allowed to do this."],
  404: ["not_found", "There is nothing at this address."],
  405: ["method_not_allowed", "This address does not accept that method."],
  413: ["payload_too_large", "The request body is larger than 16 KiB."],
  415: ["unsupported_media_type", "Send the body as application/json."],
  429: ["rate_limited", "Too many requests. Please slow down."],
};

function errorResponse(c: Context, status: ContentfulStatusCode, body: ErrorBody, headers?: Record<string, string>) {
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  c.header("Cache-Control", "no-store");
  return c.json(body, status);
}

export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) {
    const { field, headers } = err.extra;
    return errorResponse(c, err.status as ContentfulStatusCode, { error: { code: err.code, message: err.message, ...(field ? { field } : {}) } }, headers);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const [code, fallback] = CODE_FOR_STATUS[status] ?? ["error", "The request failed."];
    // bearer-auth answers with its own WWW-Authenticate header; keep it.
    const challenge = err.getResponse().headers.get("WWW-Authenticate");
    return errorResponse(c, status, { error: { code, message: err.message || fallback } }, challenge ? { "WWW-Authenticate": challenge } : undefined);
  }
  console.error("Unhandled error", err);
  return errorResponse(c, 500, { error: { code: "internal_error", message: "Something went wrong on our side." } });
};

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, 404, { error: { code: "not_found", message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.` } });

/** A handler for a known path called with a method it does not accept. */
export function methodNotAllowed(allow: string) {
  return () => {
    throw new ApiError(405, "method_not_allowed", `This address accepts ${allow} only.`, { headers: { Allow: allow } });
  };
}
