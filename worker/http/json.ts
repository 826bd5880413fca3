import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { validator } from "hono/validator";
import type * as z from "zod/mini";
import { ApiError } from "./errors";

type Schemas = typeof import("../schemas");

// Through import(), which the bundler turns into a module initialised on first call: start-up
// skips zod and the schemas, and the first body to validate pays for them once. The promise is
// kept: every later body then skips the module loader (slow in the test runner's module graph).
let schemas: Promise<Schemas> | undefined;
const loadSchemas = () => (schemas ??= import("../schemas"));

export const MAX_BODY_BYTES = 16 * 1024;

/** Each schema field maps its validation failure to the error code clients switch on. */
export type FieldCodes = Record<string, string>;

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

const limitBody = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `The request body must be at most ${maxBytes / 1024} KiB.`);
    },
  });

const requireJsonObject: MiddlewareHandler = async (c, next) => {
  if (!JSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
    throw new ApiError(400, "invalid_json", "Send the body as JSON with Content-Type: application/json.");
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_json", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "invalid_json", "The request body must be a JSON object.");
  }
  await next();
};

/**
 * Body limit, JSON parsing and schema validation for a JSON route. The first failing field
 * decides the error: its code from `codes`, its message from the schema.
 */
export function jsonBody<Schema extends z.ZodMiniType>(pick: (schemas: Schemas) => Schema, codes: FieldCodes, { maxBytes = MAX_BODY_BYTES } = {}) {
  return [
    limitBody(maxBytes),
    requireJsonObject,
    validator("json", async (value) => {
      const result = pick(await loadSchemas()).safeParse(value);
      if (result.success) return result.data;
      const issue = result.error.issues[0];
      const field = String(issue?.path[0] ?? "");
      throw new ApiError(400, codes[field] ?? "invalid_request", issue?.message ?? "The request body is invalid.", field ? { field } : {});
    }),
  ] as const;
}
