import type { RatingSummary } from "../ratings/model";

/** What an index page shows per article, from GET /api/v1/articles?ids=…; `articles[i]` answers `ids[i]`. */
export interface ArticleCount {
  rating: Pick<RatingSummary, "count" | "average" | "best">;
  comments: { count: number };
}
