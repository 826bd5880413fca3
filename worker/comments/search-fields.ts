import type { CommentMetadata, StoredComment } from "./model";

/** KV's limit on a key's metadata, as serialised JSON. */
const METADATA_BYTES = 1024;
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

export const foldForSearch = (text: string) => text.normalize("NFKC").toLowerCase();

/**
 * The comment's metadata with what /admin's search matches: author, email and the start of the
 * text, folded, as much of the text as KV's 1,024 bytes of metadata leave room for. A listing then
 * searches 1,000 comments per `list()` call, with no read and no extra write (the comment key is
 * written on every change anyway).
 */
export function withSearchFields(base: CommentMetadata, comment: StoredComment): CommentMetadata {
  const fields: CommentMetadata = { ...base, n: foldForSearch(comment.author), ...(comment.email ? { e: foldForSearch(comment.email) } : {}), x: "", xc: 1 };
  // An edit awaiting review is searched too.
  const full = foldForSearch(comment.revision ? `${comment.body}\n${comment.revision.body}` : comment.body);
  let text = full.slice(0, Math.max(0, METADATA_BYTES - bytes(fields)));
  // A character may take up to 6 bytes (a JSON escape): trim what is over until it fits.
  for (let over = bytes({ ...fields, x: text }) - METADATA_BYTES; over > 0 && text.length > 0; over = bytes({ ...fields, x: text }) - METADATA_BYTES) text = text.slice(0, -Math.ceil(over / 6));
  const { xc: _cut, ...whole } = fields;
  return text.length < full.length ? { ...fields, x: text } : { ...whole, x: text };
}
