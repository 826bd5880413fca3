// Loaded only through worker/schemas.ts, on the first body to validate.
import * as z from "zod/mini";
import { cleanText } from "../comments/model";
import { FEEDBACK_ID, MAX_BULK_FEEDBACK } from "./model";

const voter = z.string({ error: "`voter` must be a string." }).check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, "`voter` must be 16 to 64 characters of A-Z, a-z, 0-9, _ or -."));

export const feedback = z.object({
  voter,
  body: z.pipe(
    z.pipe(z.string({ error: "`body` (the feedback) is required." }), z.transform((text) => cleanText(text, true))),
    z.string().check(z.minLength(1, "`body` (the feedback) is required."), z.maxLength(1000, "`body` must be at most 1000 characters.")),
  ),
});

/** Answers to delete at once, by id; each once. */
export const feedbackIds = z.object({
  ids: z.pipe(
    z
      .array(z.string({ error: "Each of `ids` must be a feedback id." }).check(z.regex(FEEDBACK_ID, "Each of `ids` must be a feedback id.")), { error: "`ids` must be a list of feedback ids." })
      .check(z.minLength(1, "`ids` must name at least one feedback."), z.maxLength(MAX_BULK_FEEDBACK, `\`ids\` may name at most ${MAX_BULK_FEEDBACK} feedbacks a request.`)),
    z.transform((ids: string[]) => [...new Set(ids)]),
  ),
});
