// The API contract's shapes come from the Worker itself, so the two cannot drift apart.
import type { PublicComment as ApiComment, PublicStatus, Status } from "../../worker/comments/model";
import type { RatingSummary } from "../../worker/ratings/model";

export type { RatingSummary };

/** A public comment; the author's own copy also says whether it is still pending. */
export type PublicComment = ApiComment & { status?: Status };

export interface CommentPage {
  count: number;
  items: PublicComment[];
  cursor: string | null;
}

export interface ArticleResponse {
  article: string;
  rating: RatingSummary;
  comments: CommentPage;
}

export interface VoteResponse {
  rating: RatingSummary;
  yours: number | null;
}

export interface NewComment {
  author: string;
  body: string;
  email?: string;
  website?: string;
  parentId?: string;
  company?: string;
  turnstileToken?: string;
}

/** Why a request failed, in the terms the widget explains to readers. */
export type FailureKind = "offline" | "busy" | "failed";

export class ApiFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The API's error code and field, when it sent one. */
    readonly code = "",
    readonly field = "",
  ) {
    super(kind);
  }
}

async function request<T>(api: string, article: string, init?: RequestInit & { path?: string }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${api}/api/v1/articles/${encodeURIComponent(article)}${init?.path ?? ""}`, init);
  } catch {
    // The host page's own beacons may have used up the browser's keepalive allowance.
    if (init?.keepalive) return request(api, article, { ...init, keepalive: false });
    // A refused connection, a blocked request or a Worker that is down fail just like this: only
    // the browser knows whether the reader is really offline.
    throw new ApiFailure(navigator.onLine ? "failed" : "offline");
  }
  if (response.status === 204) return undefined as T;
  // Not JSON (a proxy's or host's own page at the API's address): a failure like any other.
  const body = await response.json().catch(() => 0);
  if (!response.ok || !body) throw new ApiFailure(response.status === 429 ? "busy" : "failed", body.error?.code, body.error?.field);
  return body;
}

const json = (method: string, body: unknown, path: string): RequestInit & { path: string } => ({
  method,
  path,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

// One request per article per page view, whichever elements ask for it.
const articles: Record<string, Promise<ArticleResponse>> = {};

/**
 * `revalidate` skips the browser's cached copy (an ETag makes that a cheap 304): readers who
 * voted here must see their own vote counted, not a response cached before it.
 */
export function loadArticle(api: string, article: string, revalidate = false): Promise<ArticleResponse> {
  const key = `${api} ${article}`;
  // A failed load is forgotten, so the next element or attempt tries again.
  return (articles[key] ??= request<ArticleResponse>(api, article, revalidate ? { cache: "no-cache" } : undefined).catch((error) => {
    delete articles[key];
    throw error;
  }));
}

/** `keepalive`: a reader who clicks a star and then a link at once still has their vote counted. */
export function sendVote(api: string, article: string, voter: string, rating: number | null): Promise<VoteResponse> {
  return request(api, article, { ...json(rating ? "PUT" : "DELETE", { voter, rating: rating ?? undefined }, "/vote"), keepalive: true });
}

/** A page of comments from `cursor`; `newest` starts from the newest comment (its cursors go on back). */
export function loadComments(api: string, article: string, cursor: string, newest?: boolean): Promise<{ comments: PublicComment[]; count: number; cursor: string | null }> {
  return request(api, article, { path: `/comments?cursor=${encodeURIComponent(cursor)}${newest ? "&order=newest" : ""}` });
}

export function postComment(api: string, article: string, comment: NewComment): Promise<{ comment: PublicComment; editToken: string }> {
  return request(api, article, json("POST", comment, "/comments"));
}

/** What became of a comment held for moderation: "removed" covers spam and deleted. */
export function commentStatus(api: string, article: string, id: string): Promise<{ status: PublicStatus }> {
  return request(api, article, { path: `/comments/${id}/status` });
}

/** Edit (with a body) or delete (without) the reader's own comment. */
export function changeComment(api: string, article: string, id: string, editToken: string, body?: string): Promise<{ comment: PublicComment } | undefined> {
  return request(api, article, json(body === undefined ? "DELETE" : "PATCH", { editToken, body }, `/comments/${id}`));
}
