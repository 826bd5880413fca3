import type { Context, Handler, Hono } from "hono";
import type { AppEnv } from "../app-env";

/** `c.executionCtx` throws when the caller passed none (a test's `app.request`). */
function executionContext(c: Context<AppEnv>): Context<AppEnv>["executionCtx"] | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/**
 * A handler that answers with an app loaded by `load` (an `import()`) on its first request. The
 * bundler makes that app a module of its own, which a cold start neither parses nor compiles.
 * The promise is kept so that later requests skip the module loader. The request goes on with
 * the env the Worker's middleware has already guarded.
 */
export function lazyApp(load: () => Promise<Hono<AppEnv>>): Handler<AppEnv> {
  let app: Promise<Hono<AppEnv>> | undefined;
  // A load that failed is tried again by the next request rather than kept as the isolate's answer.
  const loaded = () => (app ??= load().catch((error: unknown) => ((app = undefined), Promise.reject(error))));
  return async (c) => (await loaded()).fetch(c.req.raw, c.env, executionContext(c));
}
