// The batch endpoint's shapes come from the Worker itself, so the two cannot drift apart.
import type { ArticleCount, BatchEntry } from "../../worker/articles/model";

export type { ArticleCount };

/** The Worker answers at most this many ids per request. */
const MAX_IDS = 100;
/** Encoded ids per request: far from the URL limits of servers and proxies (Cloudflare's is 16 KB). */
const MAX_QUERY = 8000;
// What the Worker refuses in any id (worker/lib/article.ts): controls, invisible formatting but
// ZWNJ and ZWJ, and `.` or `..` alone.
const NEVER_AN_ID = /[\0-\x1f\x7f-\x9f\u2028\u2029]|(?![\u200c\u200d])\p{Cf}|^\.\.?$/u;

/** The id as the Worker keeps it (trimmed, NFC), or "" for one it would refuse: never sent. */
export function articleKey(article: string): string {
  const id = article.trim().normalize("NFC");
  const length = [...id].length;
  return length && length <= 200 && !NEVER_AN_ID.test(id) ? id : "";
}

interface Waiting {
  resolve: (count: ArticleCount) => void;
  reject: (error: unknown) => void;
}

const counts: Record<string, Promise<ArticleCount>> = {};
/** api → article → who waits for it, until the next flush. */
let queue = new Map<string, Map<string, Waiting>>();
let scheduled = false;

async function fetchCounts(api: string, waiting: Map<string, Waiting>): Promise<void> {
  const ids = [...waiting.keys()];
  try {
    const response = await fetch(`${api}/api/v1/articles?${ids.map((id) => `ids=${encodeURIComponent(id)}`).join("&")}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { articles } = (await response.json()) as { articles: BatchEntry[] };
    // An id the Worker could not answer fails alone; the others show.
    ids.forEach((id, index) => {
      const entry = articles[index];
      if (entry && !entry.error) waiting.get(id)!.resolve(entry);
      else waiting.get(id)!.reject(entry?.error);
    });
  } catch (error) {
    for (const { reject } of waiting.values()) reject(error);
  }
}

function flush(): void {
  scheduled = false;
  const batches = queue;
  queue = new Map();
  for (const [api, waiting] of batches) {
    let batch = new Map<string, Waiting>();
    let length = 0;
    for (const [id, entry] of waiting) {
      const size = encodeURIComponent(id).length + 5;
      if (batch.size === MAX_IDS || (batch.size && length + size > MAX_QUERY)) {
        void fetchCounts(api, batch);
        batch = new Map();
        length = 0;
      }
      batch.set(id, entry);
      length += size;
    }
    void fetchCounts(api, batch);
  }
}

/**
 * An article's rating and comment count. Every element asking in the same task shares one request
 * (per 100 articles); while the page is still being parsed, everything up to DOMContentLoaded
 * does, so an index page of any length costs one request however its elements arrive. Ids that
 * normalise alike share one answer; one that cannot be valid fails at once, without a request.
 */
export function loadCount(api: string, article: string): Promise<ArticleCount> {
  const id = articleKey(article);
  if (!id) return Promise.reject(new Error("not an article id"));
  const key = `${api} ${id}`;
  // A failed load is forgotten, so the next element or attempt tries again.
  return (counts[key] ??= new Promise<ArticleCount>((resolve, reject) => {
    let waiting = queue.get(api);
    if (!waiting) queue.set(api, (waiting = new Map()));
    waiting.set(id, { resolve, reject });
    if (scheduled) return;
    scheduled = true;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush, { once: true });
    else queueMicrotask(flush);
  }).catch((error) => {
    delete counts[key];
    throw error;
  }));
}
