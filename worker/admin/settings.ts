import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { COMMENT_ID, toModeration, type StoredComment } from "../comments/model";
import { readComment } from "../comments/store";
import { askWriter } from "../writer/client";
import { distrust } from "../comments/trust";
import { requireHashSecret } from "../http/client";
import { ApiError, methodNotAllowed } from "../http/errors";
import { jsonBody } from "../http/json";
import { parseStoredArticleId } from "../lib/article";
import { publicId } from "../lib/hash";
import { readSettingsFresh, settingsTurn, writeSettings, type SiteSettings } from "../settings/store";

const settingsBody = jsonBody((schemas) => schemas.siteSettings, { blockList: "invalid_settings" }, { maxBytes: 256 * 1024 });

/** The block route's optional body: `{"email": true}` to block the comment's email as well. */
async function blockOptions(request: Request): Promise<boolean> {
  const text = await request.text();
  if (!text.trim()) return false;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The request body is not valid JSON.");
  }
  const email = (body as { email?: unknown } | null)?.email;
  if (typeof body !== "object" || body === null || Array.isArray(body) || (email !== undefined && typeof email !== "boolean")) {
    throw new ApiError(400, "invalid_request", "Send no body, or `{\"email\": true}` to block the comment's email too.", { field: "email" });
  }
  return email === true;
}

/** Settings in /admin: the block list. Behind the admin guard of the routes that mount these. */
export const settingsRoutes = new Hono<AppEnv>()
  .get("/admin/settings", async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await readSettingsFresh(c.env.PLAUDIT));
  })
  .put("/admin/settings", ...settingsBody, async (c) => {
    const settings: SiteSettings = c.req.valid("json");
    await settingsTurn(c.env.PLAUDIT);
    await writeSettings(c.env.PLAUDIT, settings, Date.now());
    return c.json(settings);
  })
  // "Block this author": what the comment proves (its client network) joins the block list, and
  // this comment goes to spam. Its email joins only when asked (`{"email": true}`): anyone can
  // type anyone's address, and blocking it would send its real owner's comments to spam.
  .post("/admin/comments/:article/:id/block", async (c) => {
    const alsoEmail = await blockOptions(c.req.raw);
    const article = parseStoredArticleId(c.req.param("article"));
    const a = await publicId(article);
    const id = c.req.param("id");
    const comment = COMMENT_ID.test(id) ? await readComment(c.env.PLAUDIT, a, id) : null;
    if (!comment) throw new ApiError(404, "comment_not_found", "There is no such comment on this article.");
    const secret = requireHashSecret(c.var.settings.hashSecret);
    await settingsTurn(c.env.PLAUDIT);
    const now = Date.now();
    const settings = await readSettingsFresh(c.env.PLAUDIT);
    const list = settings.blockList;
    if (comment.ipHash && !list.addresses.some((entry) => entry.id === comment.ipHash)) {
      list.addresses.push({ id: comment.ipHash, label: `${comment.author}, on ${article} (${new Date(comment.createdAt).toISOString().slice(0, 10)})` });
    }
    const email = comment.email?.trim().toLowerCase();
    if (alsoEmail && email && !list.emails.includes(email)) list.emails.push(email);
    await writeSettings(c.env.PLAUDIT, settings, now);
    let saved: StoredComment = comment;
    if (comment.status !== "spam") {
      const ref = { a, article };
      saved = (await askWriter(c.env, ref, (writer) => writer.changeComment(ref, id, { kind: "moderate", change: { status: "spam" } }))).after!;
    }
    await distrust(c.env.PLAUDIT, secret, comment).catch(() => {});
    return c.json({ blockList: list, comment: toModeration(saved) });
  })
  .all("/admin/settings", methodNotAllowed("GET, PUT"))
  .all("/admin/comments/:article/:id/block", methodNotAllowed("POST"));
