import { commentKeys } from "../comments/keys";
import { listedUnder } from "../comments/revision";
import { foldForSearch, metadataText } from "../comments/search-fields";
import type { CommentMetadata, Status, StoredComment } from "../comments/model";
import { ApiError } from "../http/errors";
import { getMany } from "../lib/kv";

/**
 * Search by author, email or text. Each comment key carries its author, email and the start of its
 * text in its metadata (comments/search-fields.ts), so one `list()` call searches 1,000 comments
 * with no read: a request lists up to SEARCH_LISTS pages (50,000 comments), then reads only the
 * comments it answers with (one bulk get per 100). Comments written before the metadata held those
 * fields are read instead, at most LEGACY_READS a request (2 % of the Free plan's daily reads).
 */
export const SEARCH_LISTS = 50;
export const LEGACY_READS = 2000;
const LIST_PAGE = 1000;
const GET_BATCH = 100;

interface SearchCursor {
  /** The list() cursor this request's scan starts from; absent for the first page. */
  c?: string;
  /** Matches of that scan already answered. */
  o: number;
}

const encode = (cursor: SearchCursor) => btoa(JSON.stringify(cursor)).replace(/=+$/, "");

function decode(raw: string | undefined): SearchCursor {
  if (!raw) return { o: 0 };
  try {
    const cursor = JSON.parse(atob(raw)) as SearchCursor;
    if (Number.isSafeInteger(cursor.o) && cursor.o >= 0 && (cursor.c === undefined || typeof cursor.c === "string")) return cursor;
  } catch {
    // Falls through to the error below.
  }
  throw new ApiError(400, "invalid_cursor", "`cursor` must be a cursor returned by a previous page.");
}

function matches(comment: StoredComment, needle: string): boolean {
  return [comment.body, comment.author, comment.email ?? "", comment.revision?.body ?? ""].some((text) => foldForSearch(text).includes(needle));
}

const metadataMatches = (m: CommentMetadata, needle: string) => [m.n, m.e ?? "", m.x ?? ""].some((text) => text!.includes(needle));

export interface SearchPage {
  found: { a: string; comment: StoredComment }[];
  cursor: string | null;
  /** Comments looked at by this request. */
  scanned: number;
}

const articleOf = (key: string) => key.split(":")[1]!;

/** Up to `limit` comments in `status` (on article `a`, if given) whose text, author or email contains `query`, newest first. */
export async function searchQueue(kv: KVNamespace, status: Status, query: string, limit: number, rawCursor: string | undefined, a?: string): Promise<SearchPage> {
  const needle = foldForSearch(query.trim());
  const metadataNeedle = metadataText(needle);
  const start = decode(rawCursor);
  const hits: { key: string; t: number }[] = [];
  const legacy: string[] = [];
  let scanned = 0;
  let next: string | undefined = start.c;
  let complete = false;
  for (let lists = 0; lists < SEARCH_LISTS && legacy.length + LIST_PAGE <= LEGACY_READS && !complete; lists++) {
    const page: KVNamespaceListResult<CommentMetadata> = await kv.list<CommentMetadata>({ prefix: a ? commentKeys.commentPrefix(a) : commentKeys.allCommentsPrefix, limit: LIST_PAGE, cursor: next });
    for (const { name, metadata } of page.keys) {
      scanned += 1;
      if (!metadata || !listedUnder(status, { status: metadata.s, revision: metadata.r })) continue;
      if (metadata.n === undefined) legacy.push(name);
      else if (metadataMatches(metadata, metadataNeedle)) hits.push({ key: name, t: metadata.t });
    }
    complete = page.list_complete;
    next = page.list_complete ? undefined : page.cursor;
  }
  for (let i = 0; i < legacy.length; i += GET_BATCH) {
    const batch = await getMany<StoredComment>(kv, legacy.slice(i, i + GET_BATCH));
    for (const [key, comment] of batch) if (matches(comment, needle)) hits.push({ key, t: comment.createdAt });
  }
  hits.sort((x, y) => y.t - x.t);
  const answered = hits.slice(start.o, start.o + limit);
  const comments = new Map<string, StoredComment>();
  for (let i = 0; i < answered.length; i += GET_BATCH) for (const [key, comment] of await getMany<StoredComment>(kv, answered.slice(i, i + GET_BATCH).map(({ key }) => key))) comments.set(key, comment);
  // A listing may lag a change by up to a minute: what is answered is checked on the comment itself.
  const found = answered.flatMap(({ key }) => {
    const comment = comments.get(key);
    return comment && listedUnder(status, comment) && matches(comment, needle) ? [{ a: articleOf(key), comment }] : [];
  });
  const cursor = start.o + limit < hits.length ? encode({ c: start.c, o: start.o + limit }) : complete ? null : encode({ c: next, o: 0 });
  return { found, cursor, scanned };
}
