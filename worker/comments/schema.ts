import { z } from "zod";
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

const author = z
  .string({ error: "`author` (your name) is required." })
  .transform((text) => cleanText(text, false))
  .pipe(z.string().min(1, "`author` (your name) is required.").max(80, "`author` must be at most 80 characters."));

export const commentBody = z
  .string({ error: "`body` (the comment) is required." })
  .transform((text) => cleanText(text, true))
  .pipe(z.string().min(1, "`body` (the comment) is required.").max(5000, "`body` must be at most 5000 characters."));

const email = z.preprocess(
  blankToUndefined,
  z.string({ error: "`email` must be text." }).trim().max(254, "`email` is too long.").pipe(z.email("`email` must be a valid address.")).optional(),
);

const website = z.preprocess(
  blankToUndefined,
  z
    .string({ error: "`website` must be text." })
    .trim()
    .max(300, "`website` must be at most 300 characters.")
    .refine(isHttpUrl, "`website` must be an http:// or https:// address.")
    .transform((url) => new URL(url).href)
    .optional(),
);

export const commentId = z.string().regex(COMMENT_ID, "That is not a comment id.");

export const newComment = z.object({
  author,
  body: commentBody,
  email,
  website,
  parentId: z.preprocess(blankToUndefined, z.string({ error: "`parentId` must be a comment id." }).regex(COMMENT_ID, "`parentId` must be a comment id.").optional()),
  /** Honeypot: a form field people never see; bots fill it in. */
  company: z.unknown().optional(),
  turnstileToken: z.string().max(4096).optional(),
});

export const authorEdit = z.object({
  editToken: z.string({ error: "`editToken` is required." }).min(1, "`editToken` is required.").max(200),
  body: commentBody,
});

export const authorDelete = z.object({
  editToken: z.string({ error: "`editToken` is required." }).min(1, "`editToken` is required.").max(200),
});

/** Every field error of a comment body is reported as invalid_comment, naming the field. */
export const COMMENT_CODES = { author: "invalid_comment", body: "invalid_comment", email: "invalid_comment", website: "invalid_comment", parentId: "invalid_comment", turnstileToken: "invalid_comment", editToken: "invalid_comment", company: "invalid_comment" };

/** UTF-8 of 5000 characters plus JSON escaping fits well within this. */
export const COMMENT_BODY_BYTES = 32 * 1024;
