// What every source's comments go through on their way to Plaudit's records: the article id,
// and author, email and website cleaned the way Plaudit's own form would have taken them.

/** Plaudit's limits (see docs/api.md, Comments). */
export const MAX_AUTHOR = 80;
export const MAX_BODY = 5000;

/**
 * The article id for a post's permalink: its path, as the widget takes it from the page's
 * address by default (decoded, so "café" is one id), or the whole URL with --article-id url.
 * @param {string} link @param {"path" | "url"} mode
 * @returns {string | null}
 */
export function articleFor(link, mode) {
  const trimmed = (link ?? "").trim();
  if (!trimmed) return null;
  if (mode === "url") return trimmed;
  let path;
  try {
    path = new URL(trimmed).pathname;
  } catch {
    return null;
  }
  try {
    return decodeURI(path);
  } catch {
    return path;
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
 * A comment record, or the reason it cannot be one.
 * @returns {{ record: Record<string, unknown> } | { skip: string }}
 */
export function commentRecord({ source, sourceId, sourceParentId, article, author, email, website, body, createdAt, status }) {
  if (!article) return { skip: "no permalink to take the article id from" };
  if (!body) return { skip: "empty comment" };
  if ([...body].length > MAX_BODY) return { skip: `longer than ${MAX_BODY} characters` };
  if (!Number.isFinite(createdAt)) return { skip: "no valid date" };
  return {
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
