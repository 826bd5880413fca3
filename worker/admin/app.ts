import { feedbackAdminRoutes } from "../feedback/admin-routes";
import { subApp } from "../http/sub-app";
import { adminRoutes } from "./routes";

/** The admin API, which the Worker hands every /api/v1/admin request to (see lazy.ts). */
export const adminApp = subApp(feedbackAdminRoutes, adminRoutes);
