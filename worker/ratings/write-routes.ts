import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { clientId, requireHashSecret } from "../http/client";
import { writeAllowance } from "../http/allowance";
import { chargeWrites } from "../http/limits";
import { jsonBody } from "../http/json";
import { parseArticleId } from "../lib/article";
import { privateId, publicId } from "../lib/hash";
import { castVote, retractVote, type VoteRequest } from "./store";

const voteBody = jsonBody((schemas) => schemas.vote, { voter: "invalid_voter", rating: "invalid_rating" });
const retractBody = jsonBody((schemas) => schemas.retractVote, { voter: "invalid_voter" });

async function voteRequest(c: import("hono").Context<AppEnv>, voterToken: string): Promise<VoteRequest> {
  const article = parseArticleId(c.req.param("article"));
  const { settings } = c.var;
  const secret = requireHashSecret(settings.hashSecret);
  const client = await clientId(secret, c.req.raw);
  const [a, voterId] = await Promise.all([publicId(article), privateId(secret, "voter", voterToken)]);
  return {
    a,
    article,
    voter: voterId,
    // A prefix tells a handful of networks apart and keeps the stored tag tiny.
    client: client.slice(0, 8),
    votersPerIp: settings.votersPerIp,
    now: Date.now(),
    charge: (writes) => chargeWrites(writeAllowance(c, client), writes),
    later: (task) => c.executionCtx.waitUntil(task()),
  };
}

/** Casting and retracting a vote: loaded on the first one (see ../lazy.ts), routed to by routes.ts. */
export const ratingWriteRoutes = new Hono<AppEnv>()
  .put("/articles/:article/vote", ...voteBody, async (c) => {
    const body = c.req.valid("json");
    const result = await castVote(c.env.PLAUDIT, await voteRequest(c, body.voter), body.rating);
    return c.json(result);
  })
  .delete("/articles/:article/vote", ...retractBody, async (c) => {
    const body = c.req.valid("json");
    return c.json(await retractVote(c.env.PLAUDIT, await voteRequest(c, body.voter)));
  });

