import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { methodNotAllowed } from "../http/errors";
import { writes } from "../lazy";

export const ratingRoutes = new Hono<AppEnv>()
  .put("/articles/:article/vote", writes)
  .delete("/articles/:article/vote", writes)
  .all("/articles/:article/vote", methodNotAllowed("PUT, DELETE"));
