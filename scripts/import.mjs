// npm run import -- FILE [--from wordpress|disqus|plaudit] [--api URL] [--token TOKEN] [--dry-run] [--article-id path|url]
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { resolveToken, UsageError } from "./import/admin-api.mjs";
import { FORMATS, formatSummary, ImportStopped, refusedCount, runImport } from "./import/run.mjs";

const USAGE = "npm run import -- FILE [--from wordpress|disqus|plaudit] [--api URL] [--token TOKEN] [--dry-run] [--article-id path|url]";

/** A bar on a terminal; a plain line every few seconds otherwise (CI logs, pipes). */
function progressReporter(stream = process.stderr) {
  let lastLine = 0;
  return ({ bytes, total, records }) => {
    const share = total ? Math.min(1, bytes / total) : 1;
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      stream.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${percent} ${records.toLocaleString("en-US")} records`);
    } else if (Date.now() - lastLine > 5_000 || share === 1) {
      lastLine = Date.now();
      stream.write(`${percent} of the file read, ${records.toLocaleString("en-US")} records\n`);
    }
  };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: "string" },
      api: { type: "string" },
      token: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "article-id": { type: "string", default: "path" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return console.log(USAGE);
  if (positionals.length !== 1) throw new UsageError(`Give one file to import.\n${USAGE}`);
  if (!existsSync(positionals[0])) throw new UsageError(`There is no file ${positionals[0]}.`);
  if (values.from && !FORMATS.includes(values.from)) throw new UsageError(`--from must be one of ${FORMATS.join(", ")}.`);
  if (values["article-id"] !== "path" && values["article-id"] !== "url") throw new UsageError("--article-id must be path or url.");
  const dryRun = values["dry-run"];
  const summary = await runImport({
    file: positionals[0],
    from: values.from,
    api: values.api,
    token: dryRun ? undefined : resolveToken({ token: values.token }),
    dryRun,
    articleId: /** @type {"path" | "url"} */ (values["article-id"]),
    progress: progressReporter(),
  });
  if (process.stderr.isTTY) process.stderr.write("\n");
  console.log(formatSummary(summary, { dryRun }));
  // A script running the import learns that something did not go in.
  if (refusedCount(summary) > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    if (process.stderr.isTTY) process.stderr.write("\n");
    console.error(error instanceof UsageError || error instanceof ImportStopped ? error.message : `Import failed: ${error.message}`);
    process.exit(1);
  });
}
