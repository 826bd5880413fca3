// The batch endpoint's shapes come from the Worker itself, so the two cannot drift apart.
import type { ArticleCount } from "../../worker/articles/model";

export type { ArticleCount };

/** The Worker answers at most this many ids per request. */
const MAX_IDS = 100;

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
    const { articles } = (await response.json()) as { articles: ArticleCount[] };
    ids.forEach((id, index) => waiting.get(id)!.resolve(articles[index]!));
  } catch (error) {
    for (const { reject } of waiting.values()) reject(error);
  }
}

function flush(): void {
  scheduled = false;
  const batches = queue;
  queue = new Map();
  for (const [api, waiting] of batches) {
    const entries = [...waiting];
    for (let start = 0; start < entries.length; start += MAX_IDS) void fetchCounts(api, new Map(entries.slice(start, start + MAX_IDS)));
  }
}

/**
 * An article's rating and comment count. Every element asking in the same task shares one request
 * (per 100 articles); while the page is still being parsed, everything up to DOMContentLoaded
 * does, so an index page of any length costs one request however its elements arrive.
 */
export function loadCount(api: string, article: string): Promise<ArticleCount> {
  const key = `${api} ${article}`;
  // A failed load is forgotten, so the next element or attempt tries again.
  return (counts[key] ??= new Promise<ArticleCount>((resolve, reject) => {
    let waiting = queue.get(api);
    if (!waiting) queue.set(api, (waiting = new Map()));
    waiting.set(article, { resolve, reject });
    if (scheduled) return;
    scheduled = true;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush, { once: true });
    else queueMicrotask(flush);
  }).catch((error) => {
    delete counts[key];
    throw error;
  }));
}
