import { ApiError } from "../http/errors";

export const MAX_ARTICLE_LENGTH = 200;
// C0, DEL and C1 controls, plus line/paragraph separators: invisible and unsafe in logs and keys.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// URLs resolve these path segments away, so an article with such an id could never be addressed again.
const DOT_SEGMENT = /^\.\.?$/;
// Invisible format characters: bidi controls reorder what /admin shows ("/legit/\u202E/nimda/" reads
// as "/admin/"), the others hide inside an id that then looks like another. ZWNJ and ZWJ stay:
// Persian and Indic words need them.
const INVISIBLE_FORMAT = /(?![\u200c\u200d])\p{Cf}/u;

/** Trim, NFC, and the checks every id must pass, old or new. */
function normaliseArticleId(raw: string | undefined): string {
  const id = (raw ?? "").trim().normalize("NFC");
  const length = [...id].length;
  if (length < 1 || length > MAX_ARTICLE_LENGTH) {
    throw new ApiError(400, "invalid_article", `The article id must be 1 to ${MAX_ARTICLE_LENGTH} characters long.`);
  }
  if (CONTROL.test(id)) {
    throw new ApiError(400, "invalid_article", "The article id must not contain control characters.");
  }
  if (!id.isWellFormed()) {
    throw new ApiError(400, "invalid_article", "The article id is not valid Unicode.");
  }
  return id;
}

/**
 * Validate an article id taken from the (already URL-decoded) path. Ids are trimmed and put in
 * Unicode NFC, so "café" typed on a Mac and on Windows rate the same article.
 */
export function parseArticleId(raw: string | undefined): string {
  const id = normaliseArticleId(raw);
  if (DOT_SEGMENT.test(id)) {
    throw new ApiError(400, "invalid_article", "The article id must not be `.` or `..`.");
  }
  if (INVISIBLE_FORMAT.test(id)) {
    throw new ApiError(400, "invalid_article", "The article id must not contain invisible formatting characters such as bidi controls.");
  }
  return id;
}

/**
 * For moderation routes: also accepts `.`, `..` and invisible formatting characters, which were
 * once stored, so that what was stored under them can still be moderated and erased (sent as
 * `.%20` / `..%20`, see docs/api.md).
 */
export function parseStoredArticleId(raw: string | undefined): string {
  return normaliseArticleId(raw);
}
