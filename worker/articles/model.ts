import type { RatingSummary } from "../ratings/model";

/** What an index page shows per article, from GET /api/v1/articles?ids=…; `articles[i]` answers `ids[i]`. */
export interface ArticleCount {
  rating: Pick<RatingSummary, "count" | "average" | "best">;
  comments: { count: number };
}

/**
 * One answer of the batch. An id that cannot be an article (too long, control characters...) gets
 * zero counts, as nothing can be stored under it, and `error` saying why: the other ids are still
 * answered, so one bad id never blanks an index page.
 */
export interface BatchEntry extends ArticleCount {
  error?: { code: string; message: string };
}
