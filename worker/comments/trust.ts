import { privateId } from "../lib/hash";

/**
 * Returning commenters: an email address with an approved comment is trusted, so its next
 * comments skip pre-moderation (the link and block rules still hold). Kept as a keyed hash of
 * the address, made for this purpose alone: the key says nothing about who it is, and is never
 * the address itself.
 *
 *   trust:{HMAC of the email}   ""   one per address with an approved comment
 */
const trustKey = async (secret: string, email: string) => `trust:${await privateId(secret, "trust", email.trim().toLowerCase())}`;

/** True when this address has had a comment approved: one KV read. */
export async function isTrusted(kv: KVNamespace, secret: string, email: string): Promise<boolean> {
  return (await kv.get(await trustKey(secret, email))) !== null;
}

/** An approval trusts its address: a read, and a write the first time only (writes are the scarce quota). */
export async function trust(kv: KVNamespace, secret: string, email: string): Promise<void> {
  const key = await trustKey(secret, email);
  if ((await kv.get(key)) === null) await kv.put(key, "");
}

/** Marked as spam or blocked: the address waits for moderation again. */
export async function distrust(kv: KVNamespace, secret: string, email: string): Promise<void> {
  await kv.delete(await trustKey(secret, email));
}
