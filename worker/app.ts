import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env";
import { apiCors, refuseForeignWrites } from "./http/cors";
import { serveDemoPages } from "./http/demo-pages";
import { notFound, onError } from "./http/errors";
import { withSettings } from "./http/settings";
import { guardStorage } from "./http/storage";
import { admin } from "./lazy";
import { articleRoutes } from "./articles/routes";
import { commentRoutes } from "./comments/routes";
import { ratingRoutes } from "./ratings/routes";
import { feedbackRoutes } from "./feedback/routes";

const api = new Hono<AppEnv>()
  .use(apiCors(), refuseForeignWrites())
  // For uptime checks and as the benchmark's baseline: no storage touched.
  .get("/health", (c) => c.json({ ok: true }))
  .route("/", articleRoutes)
  .route("/", ratingRoutes)
  .route("/", commentRoutes)
  .route("/", feedbackRoutes)
  .all("/admin/*", admin);

export const app = new Hono<AppEnv>()
  .use(withSettings())
  .use(guardStorage())
  // The widget's script and API are fetched from other sites, so resources must be cross-origin.
  .use(secureHeaders({ crossOriginResourcePolicy: "cross-origin", crossOriginOpenerPolicy: false }))
  .route("/api/v1", api)
  .get("*", serveDemoPages());

app.onError(onError);
app.notFound(notFound);
