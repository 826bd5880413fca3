import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";
import { readCounts } from "../comments/counts";
import { commentKeys, parseQueueKey } from "../comments/keys";
import { COMMENT_BODY_BYTES, isStatus, toModeration, type CommentMetadata, type ModerationComment, type Status, type StoredComment } from "../comments/model";
import { listedUnder } from "../comments/revision";
import { askWriter } from "../writer/client";
import { ApiError, methodNotAllowed, StorageUnavailable } from "../http/errors";
import { jsonBody } from "../http/json";
import { parseStoredArticleId } from "../lib/article";
import { getMany, listAll } from "../lib/kv";
import { publicId } from "../lib/hash";
import { requireHashSecret } from "../http/client";
import { resetVotes } from "../ratings/reset";
import { requireAdmin } from "./auth";
import { exportPageStream, parseExportCursor, parseExportLimit } from "./export";
import { importRoute } from "./import-route";
import { distrust, trust } from "../comments/trust";
import { writeOwnerComment } from "./owner";
import { listRatings } from "./ratings-list";
import { searchQueue } from "./search";
import { settingsRoutes } from "./settings";

const ownerCommentBody = jsonBody((schemas) => schemas.ownerComment, { body: "invalid_comment", parentId: "invalid_comment" }, { maxBytes: COMMENT_BODY_BYTES });
const moderationBody = jsonBody((schemas) => schemas.moderation, { status: "invalid_status", body: "invalid_comment", revision: "invalid_status" }, { maxBytes: COMMENT_BODY_BYTES });

function listQuery(c: Context<AppEnv>) {
  const query = c.req.query();
  const status = query.status || "pending";
  if (!isStatus(status)) throw new ApiError(400, "invalid_status", "`status` must be pending, approved, spam or deleted.");
  const limit = query.limit ? Number(query.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, "invalid_limit", "`limit` must be a whole number from 1 to 100.");
  return { status, limit, cursor: query.cursor || undefined, article: query.article ? parseStoredArticleId(query.article) : undefined };
}

/** Add what each reply answers, so a moderator sees the context: one bulk get per 100 parents. */
async function withReplyContext(kv: KVNamespace, found: { a: string; comment: StoredComment }[]): Promise<ModerationComment[]> {
  const parentKey = ({ a, comment }: { a: string; comment: StoredComment }) => (comment.parentId ? commentKeys.comment(a, comment.parentId) : undefined);
  const keys = [...new Set(found.flatMap((entry) => parentKey(entry) ?? []))];
  const parents = await getMany<StoredComment>(kv, keys);
  return found.map((entry) => {
    const parent = parents.get(parentKey(entry) ?? "");
    const listed = toModeration(entry.comment);
    if (parent) listed.replyTo = { id: parent.id, author: parent.author, excerpt: parent.body.slice(0, 200) };
    return listed;
  });
}

/** Newest first across all articles, from the moderation queue index: no per-article scan. */
async function listQueue(kv: KVNamespace, status: Status, limit: number, cursor: string | undefined) {
  const page = await kv.list({ prefix: commentKeys.queuePrefix(status), limit, cursor });
  const targets = page.keys.flatMap(({ name }) => {
    const target = parseQueueKey(name);
    return target ? [{ a: target.a, key: commentKeys.comment(target.a, target.id) }] : [];
  });
  const found = await getMany<StoredComment>(kv, targets.map(({ key }) => key));
  // An index entry left behind by an interrupted status change is skipped, not shown twice.
  const current = targets.flatMap(({ a, key }) => {
    const comment = found.get(key);
    return comment && listedUnder(status, comment) ? [{ a, comment }] : [];
  });
  return { comments: await withReplyContext(kv, current), cursor: page.list_complete ? null : page.cursor };
}

/** One article's comments in a status, newest first; the cursor is an offset. */
async function listArticle(kv: KVNamespace, article: string, status: Status, limit: number, cursor: string | undefined) {
  const offset = cursor ? Number(cursor) : 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiError(400, "invalid_cursor", "`cursor` must be a cursor returned by a previous page.");
  const a = await publicId(article);
  const matching: { name: string; t: number }[] = [];
  for await (const key of listAll<CommentMetadata>(kv, commentKeys.commentPrefix(a))) {
    if (key.metadata && listedUnder(status, { status: key.metadata.s, revision: key.metadata.r })) matching.push({ name: key.name, t: key.metadata.t });
  }
  matching.sort((x, y) => y.t - x.t);
  const slice = matching.slice(offset, offset + limit).map(({ name }) => name);
  const found = await getMany<StoredComment>(kv, slice);
  const current = slice.flatMap((key) => (found.has(key) ? [{ a, comment: found.get(key)! }] : []));
  return { comments: await withReplyContext(kv, current), cursor: offset + limit < matching.length ? String(offset + limit) : null };
}

/** The article a moderation route names, and its public id. */
async function targetArticle(c: Context<AppEnv>) {
  const article = parseStoredArticleId(c.req.param("article"));
  return { article, a: await publicId(article) };
}

export const adminRoutes = new Hono<AppEnv>()
  .use("/admin/*", requireAdmin())
  .route("/", settingsRoutes)
  .get("/admin/comments", async (c) => {
    const { status, limit, cursor, article } = listQuery(c);
    c.header("Cache-Control", "no-store");
    const query = c.req.query("q")?.trim();
    if (query !== undefined && query !== "") {
      if (query.length > 200) throw new ApiError(400, "invalid_query", "`q` must be at most 200 characters.");
      const result = await searchQueue(c.env.PLAUDIT, status, query, limit, cursor, article === undefined ? undefined : await publicId(article));
      return c.json({ comments: await withReplyContext(c.env.PLAUDIT, result.found), cursor: result.cursor, scanned: result.scanned });
    }
    const page = article ? await listArticle(c.env.PLAUDIT, article, status, limit, cursor) : await listQueue(c.env.PLAUDIT, status, limit, cursor);
    return c.json(page);
  })
  // Exact, and no KV operation per /admin load: the articles' writers keep the counts (comments/counts.ts).
  .get("/admin/counts", async (c) => {
    let counts: Record<Status, number>;
    try {
      counts = await readCounts(c.env);
    } catch (cause) {
      throw new StorageUnavailable(cause);
    }
    c.header("Cache-Control", "no-store");
    return c.json({ comments: counts });
  })
  .patch("/admin/comments/:article/:id", ...moderationBody, async (c) => {
    const change = c.req.valid("json");
    const ref = await targetArticle(c);
    const secret = requireHashSecret(c.var.settings.hashSecret);
    const { before, after } = await askWriter(c.env, ref, (writer) => writer.changeComment(ref, c.req.param("id"), { kind: "moderate", change }));
    const saved = after!;
    // Best-effort: the decision is saved either way; a lost mark only means one more comment to approve.
    if (saved.email && saved.status !== before.status) {
      if (saved.status === "approved") await trust(c.env.PLAUDIT, secret, saved).catch(() => {});
      else if (saved.status === "spam" || saved.status === "deleted") await distrust(c.env.PLAUDIT, secret, saved).catch(() => {});
    }
    return c.json({ comment: toModeration(saved) });
  })
  .delete("/admin/comments/:article/:id", async (c) => {
    const ref = await targetArticle(c);
    const { before } = await askWriter(c.env, ref, (writer) => writer.changeComment(ref, c.req.param("id"), { kind: "erase" }));
    await distrust(c.env.PLAUDIT, requireHashSecret(c.var.settings.hashSecret), before).catch(() => {});
    return c.body(null, 204);
  })
  .get("/admin/ratings", async (c) => {
    const query = c.req.query();
    const sort = query.sort || "votes";
    if (sort !== "votes" && sort !== "recent") throw new ApiError(400, "invalid_sort", "`sort` must be votes or recent.");
    const limit = query.limit ? Number(query.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, "invalid_limit", "`limit` must be a whole number from 1 to 100.");
    const offset = query.cursor ? Number(query.cursor) : 0;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiError(400, "invalid_cursor", "`cursor` must be a cursor returned by a previous page.");
    c.header("Cache-Control", "no-store");
    return c.json(await listRatings(c.env.PLAUDIT, sort, offset, limit));
  })
  .post("/admin/articles/:article/comments", ...ownerCommentBody, async (c) => {
    const article = parseStoredArticleId(c.req.param("article"));
    const { settings } = c.var;
    const { comment, approvedParent } = await writeOwnerComment(c.env, requireHashSecret(settings.hashSecret), settings.ownerName, article, c.req.valid("json"), Date.now());
    return c.json({ comment: toModeration(comment), ...(approvedParent ? { approvedParent: toModeration(approvedParent) } : {}) }, 201);
  })
  .delete("/admin/articles/:article/votes", async (c) => {
    const article = parseStoredArticleId(c.req.param("article"));
    await resetVotes(c.env.PLAUDIT, await publicId(article), article, Date.now());
    return c.body(null, 204);
  })
  .get("/admin/export", async (c) => {
    const position = parseExportCursor(c.req.query("cursor"));
    const limit = parseExportLimit(c.req.query("limit"));
    const date = new Date().toISOString().slice(0, 10);
    return c.body(await exportPageStream(c.env.PLAUDIT, position, limit, Date.now()), 200, {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="plaudit-export-${date}.ndjson"`,
      "Cache-Control": "no-store",
    });
  })
  .post("/admin/import", ...importRoute)
  .all("/admin/comments", methodNotAllowed("GET"))
  .all("/admin/comments/:article/:id", methodNotAllowed("PATCH, DELETE"))
  .all("/admin/articles/:article/votes", methodNotAllowed("DELETE"))
  .all("/admin/articles/:article/comments", methodNotAllowed("POST"))
  .all("/admin/export", methodNotAllowed("GET"))
  .all("/admin/import", methodNotAllowed("POST"))
  .all("/admin/ratings", methodNotAllowed("GET"))
  .all("/admin/counts", methodNotAllowed("GET"));
