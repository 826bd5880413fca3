import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { requireHashSecret } from "../http/client";
import { ApiError } from "../http/errors";
import { IMPORT_BODY_BYTES, importBatch, MAX_IMPORT_RECORDS } from "./import";

const NDJSON_TYPE = /^(application\/(x-)?ndjson|application\/jsonl|application\/x-jsonlines|text\/plain)\s*(;|$)/i;

/** POST /admin/import: one batch of NDJSON records; what was written and skipped, record by record. */
export const importRoute = [
  bodyLimit({
    maxSize: IMPORT_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `An import batch must be at most ${IMPORT_BODY_BYTES / 1024 / 1024} MiB: send fewer records per request.`);
    },
  }),
  async (c: Context<AppEnv>) => {
    if (!NDJSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
      throw new ApiError(415, "unsupported_media_type", "Send the records as NDJSON, one JSON object a line, with Content-Type: application/x-ndjson.");
    }
    const secret = requireHashSecret(c.var.settings.hashSecret);
    const lines = (await c.req.text()).split("\n");
    const records = lines.filter((line) => line.trim() !== "").length;
    if (records === 0) throw new ApiError(400, "empty_import", "The batch holds no records: send one JSON object a line.");
    if (records > MAX_IMPORT_RECORDS) {
      throw new ApiError(413, "too_many_records", `A batch may hold at most ${MAX_IMPORT_RECORDS} records, so that it stays within a Worker's KV limits; this one has ${records}.`);
    }
    c.header("Cache-Control", "no-store");
    return c.json(await importBatch(c.env, lines, secret, Date.now()));
  },
] as const;
