/**
 * Every request-body schema, and zod with them. Only ever loaded with `import()` (see
 * http/json.ts), so the bundler keeps all of it out of the Worker's start-up: a cold start that
 * validates no body, such as a page view, never evaluates zod.
 */
// A namespace import, not `{ z }`: it lets the bundler drop every part of zod left unused.
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

// zod/mini ships no messages; English keeps the fallback texts (e.g. for an over-long
// `turnstileToken`) the API returned when it used full zod.
z.config(en());

export { moderation, siteSettings } from "./admin/schema";
export { authorDelete, authorEdit, newComment, ownerComment } from "./comments/schema";
export { retractVote, vote } from "./ratings/schema";
export { feedback, feedbackIds } from "./feedback/schema";
