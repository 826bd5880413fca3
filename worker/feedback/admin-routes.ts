import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { requireAdmin } from "../admin/auth";
import { ApiError, methodNotAllowed } from "../http/errors";
import { jsonBody } from "../http/json";
import { eachLimited } from "../lib/kv";
import { FEEDBACK_ID } from "./model";
import { deleteFeedback, listFeedback } from "./store";

const bulkDeleteBody = jsonBody((schemas) => schemas.feedbackIds, { ids: "invalid_ids" });

/** The owner's view of readers' feedback: part of the admin API, loaded with it (admin/app.ts). */
export const feedbackAdminRoutes = new Hono<AppEnv>()
  .use("/admin/feedback", requireAdmin())
  .use("/admin/feedback/*", requireAdmin())
  .get("/admin/feedback", async (c) => {
    const { cursor, limit } = c.req.query();
    const size = limit ? Number(limit) : 50;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new ApiError(400, "invalid_limit", "`limit` must be a whole number from 1 to 100.");
    const offset = cursor ? Number(cursor) : 0;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiError(400, "invalid_cursor", "`cursor` must be a cursor returned by a previous page.");
    c.header("Cache-Control", "no-store");
    return c.json(await listFeedback(c.env.PLAUDIT, size, offset));
  })
  // Many answers at once (a flood, or everything read): one KV delete each, up to 100 a request.
  .post("/admin/feedback/delete", ...bulkDeleteBody, async (c) => {
    const { ids } = c.req.valid("json");
    await eachLimited(ids, 6, (id) => deleteFeedback(c.env.PLAUDIT, id));
    return c.json({ deleted: ids.length });
  })
  .delete("/admin/feedback/:id", async (c) => {
    const id = c.req.param("id");
    if (!FEEDBACK_ID.test(id)) throw new ApiError(404, "feedback_not_found", "There is no such feedback.");
    await deleteFeedback(c.env.PLAUDIT, id);
    return c.body(null, 204);
  })
  .all("/admin/feedback", methodNotAllowed("GET"))
  .all("/admin/feedback/delete", methodNotAllowed("POST"))
  .all("/admin/feedback/:id", methodNotAllowed("DELETE"));
