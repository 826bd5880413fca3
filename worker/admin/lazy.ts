import type { Context, Handler, Hono } from "hono";
import type { AppEnv } from "../app-env";

// Through import(): the admin API (moderation, import, export, search) is a separate module that
// a cold start neither parses nor compiles; the owner's first admin request in an isolate loads it.
// The promise is kept so that later requests skip the module loader.
let admin: Promise<Hono<AppEnv>> | undefined;
const loadAdmin = () => (admin ??= import("./app").then((module) => module.adminApp));

/** `c.executionCtx` throws when the caller passed none (a test's `app.request`). */
function executionContext(c: Context<AppEnv>): Context<AppEnv>["executionCtx"] | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** Answers an /api/v1/admin request with the admin API, loading it on first use. */
export const lazyAdmin: Handler<AppEnv> = async (c) => (await loadAdmin()).fetch(c.req.raw, c.env, executionContext(c));
