import { Hono } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "../app-env";
import { firstPage, readHead } from "../comments/thread";
import { methodNotAllowed } from "../http/errors";
import { parseArticleId } from "../lib/article";
import { publicId } from "../lib/hash";
import { summarize } from "../ratings/model";
import { readAggregate } from "../ratings/aggregate";
import { chargeReads, IDS_PER_READ_UNIT, refuseIfRecentlyRefused } from "../http/read-allowance";
import { batchArticles, batchEntries, parseBatchIds, readCounts } from "./batch";

/** KV's shortest edge cache: a page view far from the last write sees it within this many seconds. */
const PAGE_VIEW_CACHE_TTL_SECONDS = 30;

/** The page-view request: rating and first page of comments, in 2 KV reads. */
export const articleRoutes = new Hono<AppEnv>()
  // An index page: ratings and comment counts of up to 100 articles, in 2 KV operations.
  .get("/articles", etag(), async (c) => {
    const ids = parseBatchIds(c.req.queries("ids"));
    const distinct = batchArticles(ids);
    // Paid per article asked for, before any read: 100 random ids cost 200 KV reads.
    await refuseIfRecentlyRefused(c);
    await chargeReads(c, c.env.READ_LIMITER, Math.ceil(distinct.length / IDS_PER_READ_UNIT));
    const counts = distinct.length ? await readCounts(c.env.PLAUDIT, distinct, PAGE_VIEW_CACHE_TTL_SECONDS) : [];
    c.header("Cache-Control", `public, max-age=${c.var.settings.cacheMaxAge}`);
    return c.json({ articles: batchEntries(ids, distinct, counts) });
  })
  .all("/articles", methodNotAllowed("GET, HEAD"))
  .get("/articles/:article", etag(), async (c) => {
    const article = parseArticleId(c.req.param("article"));
    const a = await publicId(article);
    await refuseIfRecentlyRefused(c);
    const [{ stored, histogram, earlier }, head] = await Promise.all([readAggregate(c.env.PLAUDIT, a, { cacheTtl: PAGE_VIEW_CACHE_TTL_SECONDS }), readHead(c.env.PLAUDIT, a)]);
    // Views of articles with nothing yet are what a prober sends, one random id after another:
    // they pay from the client's allowance, so its next ones are refused before they read.
    if (!stored && !head) await chargeReads(c, c.env.EMPTY_VIEW_LIMITER, 1);
    const { comments: items, count, cursor } = firstPage(head);
    c.header("Cache-Control", `public, max-age=${c.var.settings.cacheMaxAge}`);
    return c.json({ article, rating: summarize(histogram, earlier), comments: { count, items, cursor } });
  })
  .all("/articles/:article", methodNotAllowed("GET, HEAD"));
