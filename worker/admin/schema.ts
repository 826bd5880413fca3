// Loaded only through worker/schemas.ts, on the first body to validate.
import * as z from "zod/mini";
import { STATUSES } from "../comments/model";
import { commentBody } from "../comments/schema";

const status = z.enum(STATUSES, { error: "`status` must be pending, approved, spam or deleted." });

export const moderation = z
  .object({ status: z.optional(status), body: z.optional(commentBody) })
  .check(z.refine((change) => change.status !== undefined || change.body !== undefined, { message: "Send a `status`, a `body` or both.", path: ["status"] }));
