import type { BlockList } from "../settings/store";
import { findLinks } from "./links";

/** What a block rule looks at in a new comment. */
export interface Candidate {
  author: string;
  body: string;
  email?: string | undefined;
  website?: string | undefined;
  /** The client-network HMAC of the poster. */
  address: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const fold = (text: string) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ");

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
}

/** True when any rule of the block list holds the comment: it then goes straight to spam. */
export function isBlocked(list: BlockList, candidate: Candidate): boolean {
  if (list.addresses.some((entry) => entry.id === candidate.address)) return true;
  const email = candidate.email?.trim().toLowerCase();
  if (email && list.emails.some((entry) => (entry.startsWith("@") ? email.endsWith(entry) : email === entry))) return true;
  if (list.domains.length) {
    const hosts = [...findLinks(candidate.body).map((link) => link.href), ...(candidate.website ? [candidate.website] : [])].flatMap((url) => hostOf(url) ?? []);
    if (hosts.some((host) => list.domains.some((domain) => host === domain || host.endsWith(`.${domain}`)))) return true;
  }
  if (list.words.length) {
    const text = fold(`${candidate.author}\n${candidate.body}\n${candidate.website ?? ""}`);
    // Whole words only: blocking "ass" must not hold "class".
    return list.words.some((word) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(fold(word))}($|[^\\p{L}\\p{N}])`, "u").test(text));
  }
  return false;
}
