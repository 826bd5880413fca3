/** One answer as /admin lists it (the API's shape, shared with admin.js). */
export interface ListedFeedback {
  id: string;
  article: string;
  /** The voter's rating when they answered. */
  rating: number;
  body: string;
  createdAt: string;
}

/** A feedback id: `{a}.{voter}`, or `{inverted time}.{a}.{random}` from before answers were one per voter. */
export const FEEDBACK_ID = /^(?:\d{13}\.[A-Za-z0-9_-]{22}\.[a-z0-9]{10}|[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22})$/;

/** Answers one bulk delete takes. */
export const MAX_BULK_FEEDBACK = 100;
