import { commentWriteRoutes } from "./comments/write-routes";
import { feedbackWriteRoutes } from "./feedback/write-routes";
import { subApp } from "./http/sub-app";
import { ratingWriteRoutes } from "./ratings/write-routes";

/** The routes that take a body, which the Worker hands their requests to (see lazy.ts). */
export const writesApp = subApp(ratingWriteRoutes, commentWriteRoutes, feedbackWriteRoutes);
