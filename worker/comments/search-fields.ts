import type { CommentMetadata, StoredComment } from "./model";

/** KV's limit on a key's metadata, as serialised JSON. */
const METADATA_BYTES = 1024;
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/** What the author's name, and the email, may take of the metadata each. */
const NAME_BYTES = 280;
/** The longest start of ASCII `text` within `max` bytes of JSON. */
const fit = (text: string, max: number) => {
  let fitted = text.slice(0, max);
  while (bytes(fitted) - 2 > max) fitted = fitted.slice(0, -1);
  return fitted;
};

export const foldForSearch = (text: string) => text.normalize("NFKC").toLowerCase();

/**
 * Folded text as metadata carries it: ASCII only. The runtime sends metadata to KV in a header
 * (CF-KV-Metadata), where other characters are not safe; each one is written as `\u{hex}` instead.
 * A needle written the same way is a substring of it whenever the text contains the needle (an
 * escape may also match a needle by chance: answers are checked on the comment itself).
 */
export const metadataText = (folded: string) => folded.replace(/[^\x20-\x7e]/gu, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);

/**
 * The comment's metadata with what /admin's search matches: author, email and the start of the
 * text, folded, as much of the text as KV's 1,024 bytes of metadata leave room for. A listing then
 * searches 1,000 comments per `list()` call, with no read and no extra write (the comment key is
 * written on every change anyway).
 */
export function withSearchFields(base: CommentMetadata, comment: StoredComment): CommentMetadata {
  // Escaped, a name in another script grows several times over: name and email get a share each.
  const fields: CommentMetadata = { ...base, n: fit(metadataText(foldForSearch(comment.author)), NAME_BYTES), ...(comment.email ? { e: fit(metadataText(foldForSearch(comment.email)), NAME_BYTES) } : {}), x: "", xc: 1 };
  // An edit awaiting review is searched too.
  const full = metadataText(foldForSearch(comment.revision ? `${comment.body}\n${comment.revision.body}` : comment.body));
  let text = full.slice(0, Math.max(0, METADATA_BYTES - bytes(fields)));
  // A character may take a few bytes (a JSON escape): trim what is over until it fits.
  for (let over = bytes({ ...fields, x: text }) - METADATA_BYTES; over > 0 && text.length > 0; over = bytes({ ...fields, x: text }) - METADATA_BYTES) text = text.slice(0, -Math.ceil(over / 6));
  const { xc: _cut, ...whole } = fields;
  return text.length < full.length ? { ...fields, x: text } : { ...whole, x: text };
}
