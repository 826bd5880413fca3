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

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
}

const withinDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** An address entry, or `@domain` for every address there and at its subdomains. */
function emailMatches(email: string, entry: string): boolean {
  if (!entry.startsWith("@")) return email === entry;
  return withinDomain(email.slice(email.lastIndexOf("@") + 1), entry.slice(1));
}

/** True when any rule of the block list holds the comment: it then goes straight to spam. */
export async function isBlocked(list: BlockList, candidate: Candidate): Promise<boolean> {
  if (list.addresses.some((entry) => entry.id === candidate.address)) return true;
  const email = candidate.email?.trim().toLowerCase();
  if (email && list.emails.some((entry) => emailMatches(email, entry))) return true;
  if (list.domains.length) {
    const hosts = [...findLinks(candidate.body).map((link) => link.href), ...(candidate.website ? [candidate.website] : [])].flatMap((url) => hostOf(url) ?? []);
    if (hosts.some((host) => list.domains.some((domain) => withinDomain(host, domain)))) return true;
  }
  if (list.words.length) {
    // Folded as the owner's name is (./reserved.ts): "ca\u200bsino", "c\u0430sino" and "cásino" are "casino".
    const { lookalikeFold } = await import("./lookalike");
    const fold = (text: string) => lookalikeFold(text).replace(/\s+/g, " ");
    const text = fold(`${candidate.author}\n${candidate.body}\n${candidate.website ?? ""}`);
    // Whole words only: blocking "ass" must not hold "class".
    return list.words.some((word) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(fold(word))}($|[^\\p{L}\\p{N}])`, "u").test(text));
  }
  return false;
}
