/**
 * The yardstick for Plaudit's own weight and start-up (`npm run bench -- weight`): a bare Hono
 * Worker with the two middlewares any small JSON API would have, and nothing of Plaudit's.
 * Never deployed.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";

const app = new Hono().use(cors(), etag()).get("/api/v1/health", (c) => c.json({ ok: true }));

export default app;
