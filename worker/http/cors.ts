import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../app-env";
import { ApiError } from "./errors";

/** Browsers may cache a preflight this long (Chromium caps it at 2 hours). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isAllowed(origin: string, allowed: "*" | readonly string[], selfOrigin: string): boolean {
  return allowed === "*" || origin === selfOrigin || allowed.includes(origin);
}

/** CORS grants for the embedding sites, via Hono's `cors`. Other origins get no grant. */
export const apiCors = (): MiddlewareHandler<AppEnv> => (c, next) =>
  cors({
    origin: (origin) => {
      const allowed = c.var.settings.allowedOrigins;
      if (allowed === "*") return "*";
      return isAllowed(origin, allowed, new URL(c.req.url).origin) ? origin : null;
    },
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["Content-Type", "Authorization"],
    exposeHeaders: ["ETag", "Retry-After"],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  })(c, next);

/**
 * CORS only stops a page from *reading* a response; a cross-site form or `fetch` can still send a
 * write. Refuse writes that a browser sent from a site that may not embed the widget.
 */
export const refuseForeignWrites = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const origin = c.req.header("Origin");
  if (origin && !SAFE_METHODS.has(c.req.method) && !isAllowed(origin, c.var.settings.allowedOrigins, new URL(c.req.url).origin)) {
    throw new ApiError(403, "forbidden_origin", `This site (${origin}) is not allowed to send ratings or comments here.`);
  }
  await next();
};
