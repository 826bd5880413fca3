// Plaudit's own NDJSON (npm run export, GET /admin/export): its records go back as they are.
import { createInterface } from "node:readline";

/**
 * @param {NodeJS.ReadableStream} stream
 * @returns {AsyncGenerator<import("./wordpress.mjs").ImportItem>}
 */
export async function* readPlaudit(stream) {
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line += 1;
    if (!text.trim()) continue;
    const where = `line ${line}`;
    let record;
    try {
      record = JSON.parse(text);
    } catch {
      yield { skip: "not valid JSON", refused: true, where };
      continue;
    }
    if (record?.type === "export" || record?.type === "continue") continue;
    if (!["vote", "earlier", "comment", "feedback"].includes(record?.type)) {
      yield { skip: `unknown record type "${record?.type}"`, refused: true, where };
      continue;
    }
    yield { record, where };
  }
}
