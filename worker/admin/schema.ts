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

/** Trimmed, blank lines dropped, each once. */
const tidy = (values: string[], fold: (value: string) => string = (value) => value) => [...new Set(values.map((value) => fold(value.trim())).filter(Boolean))];

const entryList = (what: string, maxLength: number, fold?: (value: string) => string) =>
  z.pipe(
    z.array(z.string({ error: `Each of ${what} must be text.` }).check(z.maxLength(maxLength, `Each of ${what} must be at most ${maxLength} characters.`)), { error: `${what} must be a list.` }).check(z.maxLength(1000, `${what} may hold at most 1000 entries.`)),
    z.transform((values: string[]) => tidy(values, fold)),
  );

/** "https://www.spam.example/x" and "spam.example" block the same links. */
const domainOf = (value: string) => value.toLowerCase().replace(/^[a-z]+:\/\//, "").replace(/[/?#:].*$/, "").replace(/^www\./, "").replace(/\.$/, "");

const blockedAddress = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, "An address must be an id from a comment.")),
  label: z.string().check(z.maxLength(300)),
});

export const siteSettings = z.object({
  blockList: z.object(
    {
      words: entryList("`blockList.words`", 100),
      emails: entryList("`blockList.emails`", 254, (value) => value.toLowerCase()),
      domains: entryList("`blockList.domains`", 253, domainOf),
      addresses: z.array(blockedAddress).check(z.maxLength(1000, "`blockList.addresses` may hold at most 1000 entries.")),
    },
    { error: "`blockList` must be an object with `words`, `emails`, `domains` and `addresses` lists." },
  ),
});
