/** One answer as /admin lists it (the API's shape, shared with admin.js). */
export interface ListedFeedback {
  id: string;
  article: string;
  /** The voter's rating when they answered. */
  rating: number;
  body: string;
  createdAt: string;
}
