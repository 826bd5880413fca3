/** The rating part of the Worker's article response (`GET /api/v1/articles/{article}`). */
export interface RatingSummary {
  count: number;
  sum: number;
  average: number;
  histogram: number[];
  best: number;
}

export interface ArticleResponse {
  article: string;
  rating: RatingSummary;
}

export interface VoteResponse {
  rating: RatingSummary;
  yours: number | null;
}

/** Why a request failed, in the terms the widget explains to readers. */
export type FailureKind = "offline" | "busy" | "failed";

export class ApiFailure extends Error {
  constructor(readonly kind: FailureKind) {
    super(`Plaudit: ${kind}`);
  }
}

async function request<T>(api: string, article: string, init?: RequestInit & { path?: string }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${api}/api/v1/articles/${encodeURIComponent(article)}${init?.path ?? ""}`, init);
  } catch {
    throw new ApiFailure("offline");
  }
  if (!response.ok) throw new ApiFailure(response.status === 429 ? "busy" : "failed");
  return response.json();
}

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

export function sendVote(api: string, article: string, voter: string, rating: number | null): Promise<VoteResponse> {
  return request<VoteResponse>(api, article, {
    path: "/vote",
    method: rating ? "PUT" : "DELETE",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ voter, rating: rating ?? undefined }),
  });
}
