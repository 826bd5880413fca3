import type { RatingSummary } from "../../worker/ratings/model";

/**
 * `plaudit-load`: an element's article has loaded. <plaudit-rating> sends the whole rating and
 * first page of comments; <plaudit-count> the summary an index page gets. Both carry these fields.
 */
export interface PlauditLoadDetail {
  article: string;
  rating: Pick<RatingSummary, "count" | "average" | "best">;
  comments: { count: number };
}

declare global {
  interface HTMLElementEventMap {
    "plaudit-load": CustomEvent<PlauditLoadDetail>;
  }
}
