import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { readSettings } from "../config";

/** Parses the Worker's settings from its bindings once per request, for every route to read. */
export const withSettings = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  c.set("settings", readSettings(c.env));
  await next();
};
