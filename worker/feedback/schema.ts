// Loaded only through worker/schemas.ts, on the first body to validate.
import * as z from "zod/mini";
import { cleanText } from "../comments/model";

const voter = z.string({ error: "`voter` must be a string." }).check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, "`voter` must be 16 to 64 characters of A-Z, a-z, 0-9, _ or -."));

export const feedback = z.object({
  voter,
  body: z.pipe(
    z.pipe(z.string({ error: "`body` (the feedback) is required." }), z.transform((text) => cleanText(text, true))),
    z.string().check(z.minLength(1, "`body` (the feedback) is required."), z.maxLength(1000, "`body` must be at most 1000 characters.")),
  ),
});
