// Loaded only through worker/schemas.ts, on the first body to validate.
import * as z from "zod/mini";

const voter = z
  .string({ error: "`voter` must be a string." })
  .check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, "`voter` must be 16 to 64 characters of A-Z, a-z, 0-9, _ or -."));
const rating = z
  .number({ error: "`rating` must be a whole number from 1 to 5." })
  .check(
    z.int("`rating` must be a whole number from 1 to 5."),
    z.minimum(1, "`rating` must be a whole number from 1 to 5."),
    z.maximum(5, "`rating` must be a whole number from 1 to 5."),
  );

export const vote = z.object({ voter, rating });

export const retractVote = z.object({ voter });
