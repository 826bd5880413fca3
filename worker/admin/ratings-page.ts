/** The shape of GET /api/v1/admin/ratings, shared with the admin page (no Worker types here). */
import type { RatingSummary } from "../ratings/model";

export type RatingsSort = "votes" | "recent";

export interface ListedRating {
  article: string;
  rating: RatingSummary;
  updatedAt: string;
}

export interface RatingsPage {
  ratings: ListedRating[];
  cursor: string | null;
  /** How many aggregates were ordered, the cap, and whether that was all of them. */
  scan: { aggregates: number; limit: number; complete: boolean };
}
