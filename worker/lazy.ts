import { lazyApp } from "./http/lazy-app";

// The parts of the API a page view never uses, each loaded on its first request in an isolate.

/** Votes, comments by their authors, feedback: every route that validates a body (and so loads zod). */
export const writes = lazyApp(() => import("./writes").then((module) => module.writesApp));

/** The owner's API: moderation, settings, import, export, search, feedback. */
export const admin = lazyApp(() => import("./admin/app").then((module) => module.adminApp));
