import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { isBlocked } from "../comments/blocklist";
import { writeAllowance } from "../http/allowance";
import { clientId, requireHashSecret } from "../http/client";
import { ApiError } from "../http/errors";
import { jsonBody } from "../http/json";
import { chargeWrites } from "../http/limits";
import { parseArticleId } from "../lib/article";
import { privateId, publicId } from "../lib/hash";
import { ratingKeys, type VoteMetadata } from "../ratings/keys";
import { readResetTime } from "../ratings/reset";
import { readSettingsCached } from "../settings/store";
import { saveFeedback, voterFeedbackId } from "./store";

/** KV writes of one answer: its own key. */
const WRITES_PER_FEEDBACK = 1;

const feedbackBody = jsonBody((schemas) => schemas.feedback, { voter: "invalid_voter", body: "invalid_feedback" });

/** A reader's answer to "What could be better?": loaded on the first one (see ../lazy.ts), routed to by routes.ts. */
export const feedbackWriteRoutes = new Hono<AppEnv>()
  // Only a reader whose rating here is low enough may answer: the widget asks them after the vote.
  .post("/articles/:article/feedback", ...feedbackBody, async (c) => {
    const input = c.req.valid("json");
    const article = parseArticleId(c.req.param("article"));
    const { settings } = c.var;
    const secret = requireHashSecret(settings.hashSecret);
    const now = Date.now();
    if (settings.feedbackMaxStars === 0) throw new ApiError(403, "feedback_off", "This site does not collect feedback.");
    const client = await clientId(secret, c.req.raw);
    await chargeWrites(writeAllowance(c, client), WRITES_PER_FEEDBACK);
    const [a, voter] = await Promise.all([publicId(article), privateId(secret, "voter", input.voter)]);
    const [{ metadata }, resetAt] = await Promise.all([c.env.PLAUDIT.getWithMetadata<VoteMetadata>(ratingKeys.vote(a, voter)), readResetTime(c.env.PLAUDIT, a)]);
    // A vote from before the article's rating was reset no longer counts, nor asks for feedback.
    if (!metadata || metadata.t < resetAt || metadata.r > settings.feedbackMaxStars) {
      throw new ApiError(403, "feedback_not_asked", `Feedback is for readers who rated this ${settings.feedbackMaxStars} stars or fewer.`);
    }
    // A blocked sender is answered as anyone is, and nothing is kept.
    const { blockList } = await readSettingsCached(c.env.PLAUDIT, now);
    if (await isBlocked(blockList, { author: "", body: input.body, address: client })) return c.json({ ok: true }, 201);
    await saveFeedback(c.env.PLAUDIT, a, { id: voterFeedbackId(a, voter), article, rating: metadata.r, body: input.body, createdAt: now, voter });
    return c.json({ ok: true }, 201);
  });
