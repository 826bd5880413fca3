// npm run export -- [--api URL] [--token TOKEN] > backup.ndjson
// Follows the export's cursor page by page, so a site of any size comes out as one NDJSON file.
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { adminRequest, apiBase, resolveToken, UsageError } from "./import/admin-api.mjs";
import { counted } from "./import/summary.mjs";

/** How far the export got, as the progress line says it. */
export const exportedSoFar = (records, pages) => `${counted(records, "record")} in ${counted(pages, "page")}`;

/**
 * Every record of the Worker's export, page after page, without the `continue` records.
 * A page cut short is asked for again from its own cursor, so nothing is written twice.
 * @param {{ api?: string, token: string, write: (text: string) => void | Promise<void>, progress?: (records: number, pages: number) => void, fetch?: typeof fetch, pause?: number }} options
 */
export async function exportAll({ api, token, write, progress = () => {}, fetch, pause }) {
  const base = apiBase(api);
  let cursor = null;
  let records = 0;
  let pages = 0;
  do {
    const url = `${base}/admin/export${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`;
    const lines = await adminRequest(url, { token, fetch, pause }, async (response) => (await response.text()).split("\n").filter(Boolean));
    const last = lines.length ? JSON.parse(lines.at(-1)) : null;
    cursor = last?.type === "continue" ? last.cursor : null;
    const page = cursor ? lines.slice(0, -1) : lines;
    if (page.length) await write(`${page.join("\n")}\n`);
    records += page.length;
    pages += 1;
    progress(records, pages);
  } while (cursor);
  return { records, pages };
}

async function main() {
  const { values } = parseArgs({ options: { api: { type: "string" }, token: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log("npm run export -- [--api URL] [--token TOKEN] > backup.ndjson");
    return;
  }
  const token = resolveToken({ token: values.token });
  const write = (text) => new Promise((done) => (process.stdout.write(text) ? done() : process.stdout.once("drain", done)));
  const { records, pages } = await exportAll({
    api: values.api,
    token,
    write,
    progress: (count, page) => process.stderr.write(`${process.stderr.isTTY ? "\r" : ""}exported ${exportedSoFar(count, page)}${process.stderr.isTTY ? "" : "\n"}`),
  });
  process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}Done: ${exportedSoFar(records, pages)}.\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof UsageError ? error.message : `Export failed: ${error.message}`);
    process.exit(1);
  });
}
