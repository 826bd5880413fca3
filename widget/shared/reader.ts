/**
 * What the widget remembers about this reader, in localStorage: an anonymous voter token and
 * their own rating per article. Falls back to memory where storage is blocked.
 */
const memory: Record<string, string> = {};

export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory[key] ?? null;
  }
}

export function write(key: string, value: string): void {
  memory[key] = value;
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or storage disabled: memory keeps it for this page view.
  }
}

/** 32 chars of [A-Za-z0-9_-]: the anonymous token the API accepts as `voter`. */
export function voterToken(): string {
  let token = read("plaudit:voter");
  if (!token || !/^[\w-]{16,64}$/.test(token)) {
    // 24 random bytes in base64, with "+" and "/" (the only non-word characters here) made "_".
    token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24)))).replace(/\W/g, "_");
    write("plaudit:voter", token);
  }
  return token;
}

/** A JSON object kept under `key`; empty when absent or unreadable (another script's, an old format). */
function readObject<T extends object>(key: string): T {
  try {
    return { ...JSON.parse(read(key) ?? "{}") };
  } catch {
    return {} as T;
  }
}

/** Ratings by `${api} ${article}`. */
const ratings = () => readObject<Record<string, number>>("plaudit:votes");

/** The reader's rating (1–5), 0 if they removed it, undefined if they never voted here. */
export function ownRating(api: string, article: string): number | undefined {
  const value = ratings()[`${api} ${article}`];
  return value! >= 0 && value! <= 5 ? value : undefined;
}

export function rememberRating(api: string, article: string, rating: number | null): void {
  write("plaudit:votes", JSON.stringify({ ...ratings(), [`${api} ${article}`]: rating ?? 0 }));
}

/** A comment this reader posted, with the token that lets them edit it for a while. */
export interface OwnComment {
  comment: import("./api").PublicComment;
  editToken: string;
}

const OWN_COMMENTS_DAYS = 30;

const ownCommentStore = () => readObject<Record<string, OwnComment[]>>("plaudit:comments");

export function ownComments(api: string, article: string): OwnComment[] {
  const list = ownCommentStore()[`${api} ${article}`];
  return Array.isArray(list) ? list : [];
}

/** Keep the reader's comments on this article; old ones are forgotten after 30 days. */
export function rememberComments(api: string, article: string, list: OwnComment[]): void {
  const cutoff = Date.now() - OWN_COMMENTS_DAYS * 864e5;
  const kept = list.filter((own) => Date.parse(own.comment.createdAt) > cutoff);
  write("plaudit:comments", JSON.stringify({ ...ownCommentStore(), [`${api} ${article}`]: kept.length ? kept : undefined }));
}

/** Name and website the reader last commented with, to fill the form in next time (never the email). */
export interface Commenter {
  author?: string;
  website?: string;
}

export function savedCommenter(): Commenter {
  return readObject<Commenter>("plaudit:commenter");
}

export function saveCommenter(commenter: Commenter): void {
  write("plaudit:commenter", JSON.stringify(commenter));
}
