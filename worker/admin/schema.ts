// Loaded only through worker/schemas.ts, on the first body to validate.
import * as z from "zod/mini";
import { STATUSES } from "../comments/model";
import { commentBody } from "../comments/schema";

const status = z.enum(STATUSES, { error: "`status` must be pending, approved, spam or deleted." });

const revision = z.enum(["approve", "discard"], { error: "`revision` must be approve or discard." });

export const moderation = z
  .object({ status: z.optional(status), body: z.optional(commentBody), revision: z.optional(revision) })
  .check(
    z.refine((change) => change.status !== undefined || change.body !== undefined || change.revision !== undefined, {
      message: "Send a `status`, a `body` or a `revision`.",
      path: ["status"],
    }),
  );
