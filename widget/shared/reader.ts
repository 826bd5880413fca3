/**
 * What the widget remembers about this reader, in localStorage: an anonymous voter token and
 * their own rating per article. Falls back to memory where storage is blocked.
 */
const memory: Record<string, string> = {};

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory[key] ?? null;
  }
}

function write(key: string, value: string): void {
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
    token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    write("plaudit:voter", token);
  }
  return token;
}

/** Ratings by `${api} ${article}`. */
function ratings(): Record<string, number> {
  try {
    return { ...JSON.parse(read("plaudit:votes") ?? "{}") };
  } catch {
    return {};
  }
}

/** The reader's rating (1–5), 0 if they removed it, undefined if they never voted here. */
export function ownRating(api: string, article: string): number | undefined {
  const value = ratings()[`${api} ${article}`];
  return value! >= 0 && value! <= 5 ? value : undefined;
}

export function rememberRating(api: string, article: string, rating: number | null): void {
  write("plaudit:votes", JSON.stringify({ ...ratings(), [`${api} ${article}`]: rating ?? 0 }));
}
