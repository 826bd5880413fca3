import type { Handler } from "hono";
import type { AppEnv } from "../app-env";

declare global {
  namespace Cloudflare {
    interface Env {
      /** "on" serves the demo pages; unset (the default, also in production) answers 404 there. */
      DEMO_PAGES?: string;
    }
  }
}

const ON = new Set(["on", "true", "1", "yes"]);

export function demoPagesEnabled(raw: string | undefined): boolean {
  return ON.has(raw?.trim().toLowerCase() ?? "");
}

/**
 * wrangler.toml's `run_worker_first` sends the demo pages here rather than straight to the static
 * assets, so a deployed Worker shows strangers no demo site unless its owner turns DEMO_PAGES on.
 * Off, the request falls through to the JSON 404.
 */
export const serveDemoPages = (): Handler<AppEnv> => async (c, next) => {
  if (!demoPagesEnabled(c.env.DEMO_PAGES) || c.req.path.startsWith("/api/")) return next();
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  // Asset responses have immutable headers; the security-headers middleware still has to add its own.
  return new Response(asset.body, asset);
};
