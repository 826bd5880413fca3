// What every source's comments go through on their way to Plaudit's records: the article id,
// and author, email and website cleaned the way Plaudit's own form would have taken them.

/** Plaudit's limits (see docs/api.md, Comments). */
export const MAX_AUTHOR = 80;
export const MAX_BODY = 5000;

/**
 * The article id for a post's permalink: its path, as the widget takes it from the page's
 * address by default (decoded, so "café" is one id), or the whole URL with --article-id url.
 * With `keepQuery`, a permalink whose query string is what tells posts apart (WordPress's plain
 * `/?p=123`) keeps it, so its posts do not all become the article `/`.
 * @param {string} link @param {"path" | "url"} mode @param {{ keepQuery?: boolean }} [options]
 * @returns {string | null}
 */
export function articleFor(link, mode, { keepQuery = false } = {}) {
  const trimmed = (link ?? "").trim();
  if (!trimmed) return null;
  if (mode === "url") return trimmed;
  let url;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  const address = keepQuery ? url.pathname + url.search : url.pathname;
  try {
    return decodeURI(address);
  } catch {
    return address;
  }
}

export function cleanAuthor(name) {
  const author = (name ?? "").replace(/\s+/g, " ").trim();
  if (!author) return "Anonymous";
  const letters = [...author];
  return letters.length <= MAX_AUTHOR ? author : `${letters.slice(0, MAX_AUTHOR - 1).join("")}…`;
}

/** A missing or malformed address is left out rather than costing the comment. */
export function cleanEmail(email) {
  const value = (email ?? "").trim();
  return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : null;
}

export function cleanWebsite(url) {
  const value = (url ?? "").trim();
  if (!value || value.length > 300) return null;
  try {
    const parsed = new URL(value);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * A body within Plaudit's limit: a longer one (imported history, written under another system's
 * rules) is cut with a visible "…" rather than lost, and `cut` says so for the summary.
 * @param {string} body
 */
export function fitBody(body) {
  const letters = [...body];
  if (letters.length <= MAX_BODY) return { body, cut: false };
  return { body: `${letters.slice(0, MAX_BODY - 1).join("").trimEnd()}…`, cut: true };
}

/**
 * A comment record, or the reason it cannot be one (`refused` when the file is damaged, rather
 * than a comment left out on purpose); `note` tells the summary of a change made to fit.
 * @returns {{ record: Record<string, unknown>, note?: string } | { skip: string, refused?: boolean }}
 */
export function commentRecord({ source, sourceId, sourceParentId, article, author, email, website, body: text, createdAt, status }) {
  if (!article) return { skip: "no permalink to take the article id from" };
  if (!text) return { skip: "empty comment" };
  if (!Number.isFinite(createdAt)) return { skip: "no valid date", refused: true };
  const { body, cut } = fitBody(text);
  return {
    ...(cut ? { note: `longer than ${MAX_BODY.toLocaleString("en-US")} characters: cut to ${MAX_BODY.toLocaleString("en-US")}, ending in "…"` } : {}),
    record: {
      type: "comment",
      source,
      sourceId: String(sourceId),
      sourceParentId: sourceParentId ? String(sourceParentId) : null,
      article,
      author: cleanAuthor(author),
      email: cleanEmail(email),
      website: cleanWebsite(website),
      body,
      createdAt: new Date(createdAt).toISOString(),
      status,
    },
  };
}
