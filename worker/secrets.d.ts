/**
 * Secrets live in `.dev.vars` locally and `wrangler secret put` in production, not in
 * wrangler.toml, so `wrangler types` does not list them. Any of them may be unset.
 */
declare namespace Cloudflare {
  interface Env {
    /** Bearer token of the moderation API and /admin; unset means admin routes are closed. */
    ADMIN_TOKEN?: string;
    /** Key of the HMAC that turns client IPs and voter tokens into opaque ids. */
    HASH_SECRET?: string;
    /** Cloudflare Turnstile secret; when set, posting a comment needs a token. */
    TURNSTILE_SECRET?: string;
    /**
     * Milliseconds between two writes of one key (KV's limit, 1,500 with a margin by default). Only
     * test suites whose KV has no such limit (miniflare's) set it, to 0; never set in production.
     */
    KV_WRITE_GAP_MS?: string;
  }
}
