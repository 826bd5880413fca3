import { commentKeys, parseQueueKey } from "../comments/keys";
import { listedUnder } from "../comments/revision";
import type { Status, StoredComment } from "../comments/model";
import { ApiError } from "../http/errors";
import { budgetedKv, getMany } from "../lib/kv";

/**
 * Search in the moderation queue by text, author or email. KV has no index to search, so this
 * reads the status's queue newest first and checks each comment: one list() per 1,000 entries and
 * one bulk get per 100. A request stops after 1,000 entries or its own budget of KV operations
 * (well inside a Worker's 1,000), and answers with what it found and a cursor to go on from.
 */
export const SEARCH_BUDGET = 300;
/**
 * Queue entries one request looks at. KV bills each key of a bulk get as a read, so a search
 * costs one read per comment it looks at: 1,000 is 1 % of the Free plan's daily reads.
 */
export const SEARCH_SCAN = 1000;
const LIST_PAGE = 1000;
const GET_BATCH = 100;

interface SearchCursor {
  /** The list() cursor of the queue page being read; absent for the first page. */
  c?: string;
  /** Entries of that page already looked at. */
  s: number;
}

const encode = (cursor: SearchCursor) => btoa(JSON.stringify(cursor)).replace(/=+$/, "");

function decode(raw: string | undefined): SearchCursor {
  if (!raw) return { s: 0 };
  try {
    const cursor = JSON.parse(atob(raw)) as SearchCursor;
    if (Number.isSafeInteger(cursor.s) && cursor.s >= 0 && (cursor.c === undefined || typeof cursor.c === "string")) return cursor;
  } catch {
    // Falls through to the error below.
  }
  throw new ApiError(400, "invalid_cursor", "`cursor` must be a cursor returned by a previous page.");
}

const fold = (text: string) => text.normalize("NFKC").toLowerCase();

function matches(comment: StoredComment, needle: string): boolean {
  return [comment.body, comment.author, comment.email ?? "", comment.revision?.body ?? ""].some((text) => fold(text).includes(needle));
}

export interface SearchPage {
  found: { a: string; comment: StoredComment }[];
  cursor: string | null;
  /** Queue entries looked at by this request. */
  scanned: number;
}

/** Up to `limit` comments in `status` (on article `a`, if given) whose text, author or email contains `query`. */
export async function searchQueue(kv: KVNamespace, status: Status, query: string, limit: number, rawCursor: string | undefined, a?: string, budget = SEARCH_BUDGET): Promise<SearchPage> {
  const needle = fold(query.trim());
  const { kv: budgeted, left } = budgetedKv(kv, budget);
  let at = decode(rawCursor);
  const found: SearchPage["found"] = [];
  let scanned = 0;
  for (;;) {
    if (left() < 2 || scanned >= SEARCH_SCAN) return { found, cursor: encode(at), scanned };
    const page = await budgeted.list({ prefix: commentKeys.queuePrefix(status), limit: LIST_PAGE, cursor: at.c });
    const entries = page.keys.slice(at.s);
    for (let start = 0; start < entries.length; start += GET_BATCH) {
      if (left() < 1 || scanned >= SEARCH_SCAN) return { found, cursor: encode({ c: at.c, s: at.s + start }), scanned };
      const batch = entries.slice(start, start + GET_BATCH).flatMap(({ name }) => {
        const target = parseQueueKey(name);
        return target ? [{ ...target, key: commentKeys.comment(target.a, target.id) }] : [];
      });
      // Another article's entries need no get.
      const wanted = a ? batch.filter((target) => target.a === a) : batch;
      const comments = await getMany<StoredComment>(budgeted, wanted.map(({ key }) => key));
      for (const [index, target] of batch.entries()) {
        const comment = comments.get(target.key);
        if (comment && listedUnder(status, comment) && matches(comment, needle)) found.push({ a: target.a, comment });
        if (found.length === limit) {
          const next = at.s + start + index + 1;
          const cursor = next < page.keys.length ? encode({ c: at.c, s: next }) : page.list_complete ? null : encode({ c: page.cursor, s: 0 });
          return { found, cursor, scanned: scanned + index + 1 };
        }
      }
      scanned += batch.length;
    }
    if (page.list_complete) return { found, cursor: null, scanned };
    at = { c: page.cursor, s: 0 };
  }
}
