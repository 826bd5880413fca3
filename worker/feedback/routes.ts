import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { methodNotAllowed } from "../http/errors";
import { writes } from "../lazy";

export const feedbackRoutes = new Hono<AppEnv>()
  .post("/articles/:article/feedback", writes)
  .all("/articles/:article/feedback", methodNotAllowed("POST"));
