// Loaded only through worker/schemas.ts, on the first body to validate.
import * as z from "zod/mini";
import { cleanText, COMMENT_ID } from "./model";

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && Boolean(url.hostname);
  } catch {
    return false;
  }
}

const author = z.pipe(
  z.pipe(z.string({ error: "`author` (your name) is required." }), z.transform((text) => cleanText(text, false))),
  z.string().check(z.minLength(1, "`author` (your name) is required."), z.maxLength(80, "`author` must be at most 80 characters.")),
);

export const commentBody = z.pipe(
  z.pipe(z.string({ error: "`body` (the comment) is required." }), z.transform((text) => cleanText(text, true))),
  z.string().check(z.minLength(1, "`body` (the comment) is required."), z.maxLength(5000, "`body` must be at most 5000 characters.")),
);

/** Blank form fields count as absent: what `z.preprocess` did before zod/mini, which lacks it. */
const blankAsAbsent = <Schema extends z.ZodMiniType>(schema: Schema) => z.pipe(z.transform<unknown, unknown>(blankToUndefined), z.optional(schema));

const email = blankAsAbsent(
  z.pipe(z.string({ error: "`email` must be text." }).check(z.trim(), z.maxLength(254, "`email` is too long.")), z.email("`email` must be a valid address.")),
);

const website = blankAsAbsent(
  z.pipe(
    z
      .string({ error: "`website` must be text." })
      .check(z.trim(), z.maxLength(300, "`website` must be at most 300 characters."), z.refine(isHttpUrl, "`website` must be an http:// or https:// address.")),
    z.transform((url) => new URL(url).href),
  ),
);

const editToken = z.string({ error: "`editToken` is required." }).check(z.minLength(1, "`editToken` is required."), z.maxLength(200));

export const newComment = z.object({
  author,
  body: commentBody,
  email,
  website,
  parentId: blankAsAbsent(z.string({ error: "`parentId` must be a comment id." }).check(z.regex(COMMENT_ID, "`parentId` must be a comment id."))),
  /** Honeypot: a form field people never see; bots fill it in. */
  company: z.optional(z.unknown()),
  turnstileToken: z.optional(z.string().check(z.maxLength(4096))),
});

/** A comment the site owner writes in /admin: the name comes from OWNER_NAME. */
export const ownerComment = z.object({
  body: commentBody,
  parentId: blankAsAbsent(z.string({ error: "`parentId` must be a comment id." }).check(z.regex(COMMENT_ID, "`parentId` must be a comment id."))),
});

export const authorEdit = z.object({ editToken, body: commentBody });

export const authorDelete = z.object({ editToken });

