/** Site settings a moderator changes in /admin (the API's shapes, shared with admin.js). */
export interface BlockedAddress {
  /** The client-network HMAC of a comment's author (StoredComment.ipHash): never an IP. */
  id: string;
  /** Who it was, for the moderator: "Ada, on /post/". */
  label: string;
}

export interface BlockList {
  /** Words and phrases, matched as whole words in the name, text and website, ignoring case. */
  words: string[];
  /** Email addresses, or `@domain` for every address there. */
  emails: string[];
  /** Link domains, subdomains included: in the text or the website. */
  domains: string[];
  addresses: BlockedAddress[];
}

export interface SiteSettings {
  blockList: BlockList;
}
