import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { notFound, onError } from "./errors";
import { withSettings } from "./settings";

/**
 * Routes under /api/v1 as an app of their own, for lazyApp (lazy-app.ts) to hand requests to.
 * The Worker's middleware has run already; only the settings are read again, and errors answer
 * exactly as the Worker's do.
 */
export function subApp(...routes: Hono<AppEnv>[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>().use(withSettings());
  for (const group of routes) app.route("/api/v1", group);
  app.onError(onError);
  app.notFound(notFound);
  return app;
}
