import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError, methodNotAllowed } from "../http/errors";
import { chargeReads, refuseIfRecentlyRefused } from "../http/read-allowance";
import { writes } from "../lazy";
import { parseArticleId } from "../lib/article";
import { publicId } from "../lib/hash";
import { COMMENT_ID, publicStatus } from "./model";
import { readComment } from "./read";
import { PAGE_SIZE, parseCursor, parseNewestCursor, readNewestPage, readPage } from "./thread";

function parseQuery(c: Context<AppEnv>) {
  const { cursor, limit, order = "oldest" } = c.req.query();
  if (order !== "oldest" && order !== "newest") throw new ApiError(400, "invalid_order", "`order` must be oldest or newest.");
  // A newest-first cursor says so itself (`n…`), so the next page needs no `order`.
  const from = order === "newest" || cursor?.startsWith("n") ? parseNewestCursor(cursor) : parseCursor(cursor);
  if (!from) throw new ApiError(400, "invalid_cursor", "`cursor` must be a cursor returned by a previous page.");
  const size = limit === undefined || limit === "" ? PAGE_SIZE : Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > 100) throw new ApiError(400, "invalid_limit", "`limit` must be a whole number from 1 to 100.");
  return { from, limit: size };
}

export const commentRoutes = new Hono<AppEnv>()
  .get("/articles/:article/comments", async (c) => {
    const article = parseArticleId(c.req.param("article"));
    const { from, limit } = parseQuery(c);
    // A page past the first reads up to 11 keys (20 newest first), whether the article exists or not.
    await refuseIfRecentlyRefused(c);
    await chargeReads(c, c.env.READ_LIMITER, 1);
    const a = await publicId(article);
    c.header("Cache-Control", `public, max-age=${c.var.settings.cacheMaxAge}`);
    return c.json(typeof from === "object" && "offset" in from ? await readPage(c.env.PLAUDIT, a, from, limit) : await readNewestPage(c.env.PLAUDIT, a, from, limit));
  })
  // Lets an author's browser learn the fate of a comment it keeps as "awaiting moderation" (one KV
  // read). No token: ids of unpublished comments are unguessable and known only to their author.
  .get("/articles/:article/comments/:id/status", async (c) => {
    const article = parseArticleId(c.req.param("article"));
    const id = c.req.param("id");
    if (!COMMENT_ID.test(id)) throw new ApiError(404, "comment_not_found", "There is no such comment on this article.");
    const comment = await readComment(c.env.PLAUDIT, await publicId(article), id);
    c.header("Cache-Control", `public, max-age=${c.var.settings.cacheMaxAge}`);
    // An erased comment leaves no trace, so "not there" is "removed" too (and no 404 in the host page's console).
    return c.json({ status: comment ? publicStatus(comment.status) : "removed" });
  })
  .post("/articles/:article/comments", writes)
  .patch("/articles/:article/comments/:id", writes)
  .delete("/articles/:article/comments/:id", writes)
  .all("/articles/:article/comments", methodNotAllowed("GET, HEAD, POST"))
  .all("/articles/:article/comments/:id", methodNotAllowed("PATCH, DELETE"))
  .all("/articles/:article/comments/:id/status", methodNotAllowed("GET, HEAD"));
