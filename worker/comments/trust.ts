import { privateId } from "../lib/hash";

/**
 * Returning commenters: a name and email address with an approved comment are trusted together,
 * so their next comments skip pre-moderation (the link and block rules still hold). Both must
 * match, as in WordPress: an address typed under another name is a stranger's. Kept as a keyed
 * hash made for this purpose alone: the key says nothing about who it is.
 *
 *   trust:{HMAC of email and name}   ""   one per name and address with an approved comment
 */

/** Who signed a comment: its name and, if given, email. */
export interface Commenter {
  author: string;
  email?: string | null | undefined;
}

// Names compare as readers type them again: any case, spacing or Unicode form.
const normalName = (name: string) => name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();

const trustKey = async (secret: string, { author, email }: Commenter) =>
  `trust:${await privateId(secret, "trust", `${email!.trim().toLowerCase()}\u0000${normalName(author)}`)}`;

/** True when this name and address have had a comment approved: one KV read (none without an email). */
export async function isTrusted(kv: KVNamespace, secret: string, commenter: Commenter): Promise<boolean> {
  if (!commenter.email) return false;
  return (await kv.get(await trustKey(secret, commenter))) !== null;
}

/** An approval trusts its name and address: a read, and a write the first time only (writes are the scarce quota). */
export async function trust(kv: KVNamespace, secret: string, commenter: Commenter): Promise<void> {
  if (!commenter.email) return;
  const key = await trustKey(secret, commenter);
  if ((await kv.get(key)) === null) await kv.put(key, "");
}

/**
 * Marked spam, deleted, erased or blocked: that name and address wait for moderation again. A
 * comment published on the strength of someone else's name and address loses them the trust too,
 * until a moderator approves one of theirs again.
 */
export async function distrust(kv: KVNamespace, secret: string | undefined, commenter: Commenter): Promise<void> {
  if (!secret || !commenter.email) return;
  await kv.delete(await trustKey(secret, commenter));
}
