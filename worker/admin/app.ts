import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { notFound, onError } from "../http/errors";
import { withSettings } from "../http/settings";
import { feedbackAdminRoutes } from "../feedback/admin-routes";
import { adminRoutes } from "./routes";

/**
 * The admin API as an app of its own, which the Worker hands every /api/v1/admin request to (see
 * lazy.ts). It gets the env the Worker's middleware already guarded, so it only needs the settings
 * again; errors answer exactly as the Worker's do.
 */
export const adminApp = new Hono<AppEnv>().use(withSettings()).route("/api/v1", feedbackAdminRoutes).route("/api/v1", adminRoutes);
adminApp.onError(onError);
adminApp.notFound(notFound);
