// The import command's work: read the file as a stream, send its records in batches each well
// inside a Worker's limits, and keep the tally the summary prints.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { adminRequest, ApiAnswer, apiBase, UsageError } from "./admin-api.mjs";
import { detectFormat, FORMATS, isGzip } from "./detect.mjs";
import { readDisqus } from "./disqus.mjs";
import { readPlaudit } from "./plaudit.mjs";
import { counted, emptySummary, note, noteLink, tally, writtenSoFar } from "./summary.mjs";
import { readWordPress } from "./wordpress.mjs";
import { xmlEvents } from "./xml-events.mjs";

export { detectFormat, FORMATS } from "./detect.mjs";
export { formatSummary, refusedCount } from "./summary.mjs";

/** Records per request: the Worker takes up to 200, each costing it at most 3 KV writes. */
export const BATCH_SIZE = 200;
/** The Worker writes its rebuild list once per batch, and KV takes one write per second per key. */
export const BATCH_GAP_MS = 1_100;
/**
 * Articles whose comments one batch carries: the Worker hands each article's comments to its writer
 * (one Durable Object request each, 40 per batch; see worker/admin/import.ts), which shows them at
 * once. Past that the Worker still takes them, but leaves their threads to the minute cron.
 */
export const ARTICLES_PER_BATCH = 40;

/**
 * The file's records, parsed as it streams in; `onBytes` hears how far the reading got (in the file's own bytes).
 * @returns {AsyncGenerator<import("./wordpress.mjs").ImportItem>}
 */
export async function* readSource(path, format, { articleId = "path", onBytes = () => {} } = {}) {
  const gzip = await isGzip(path);
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  let read = 0;
  file.on("data", (chunk) => onBytes((read += chunk.length)));
  const stream = gzip ? file.pipe(createGunzip()) : file;
  // A gzip cut short fails on the gunzip stream, which the reader below is not listening to.
  if (gzip) file.on("error", (error) => stream.destroy(error));
  if (format === "plaudit") yield* readPlaudit(stream);
  else if (format === "disqus") yield* readDisqus(xmlEvents(stream, path), { articleId });
  else yield* readWordPress(xmlEvents(stream, path), { articleId });
}

/** What makes a record the same one on the Worker (its key there), to find one the file holds twice. */
function identityOf(record) {
  const from = record.source === undefined ? null : `${record.source}:${record.sourceId}`;
  if (record.type === "comment") return { kind: "comment id", key: `comment:${from ?? `${record.article}:${record.id}`}` };
  if (record.type === "vote") return { kind: "vote", key: `vote:${from ?? `${record.article ?? record.articleKey}:${record.voter}`}` };
  if (record.type === "earlier") return { kind: "earlier-vote total for one article", key: `earlier:${record.article}` };
  return { kind: "feedback id", key: `feedback:${record.id}` };
}

/** Stopped part-way: says how far it got and how to go on. */
export class ImportStopped extends Error {}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Why a batch stopped the import, and what to do: a second run resumes after a failure of the
 * network or the Worker, but not after a refusal that would come again (a wrong token, a wrong --api).
 */
function stoppedMessage(error, where, summary, base) {
  const at = `Stopped at ${where} (batch ${summary.batches}, after ${counted(summary.sent, "record")} went in): ${error.message}`;
  const written = summary.sent ? `Written before it stopped: ${writtenSoFar(summary)}.` : "Nothing was written.";
  if (error instanceof ApiAnswer && (error.status === 401 || error.status === 403)) {
    return `${at}\nThe Worker at ${new URL(base).origin} does not accept this admin token: give the ADMIN_TOKEN it was deployed with (--token TOKEN or PLAUDIT_ADMIN_TOKEN; for npm start, ADMIN_TOKEN in .dev.vars). ${written}`;
  }
  if (error instanceof ApiAnswer && error.status === 404) return `${at}\nIs --api the address of your Plaudit Worker? ${written}`;
  if (error instanceof ApiAnswer && error.status < 500 && error.status !== 429) return `${at}\nThe Worker refuses this batch as it is, so running again would stop here again. ${written}`;
  return `${at}\nNothing is half-written that a second run will not finish: run the same command again to resume (records already imported are passed over).`;
}

/** The file could not be read to its end (cut short, not well-formed): what went in before, and that a rerun is safe. */
function unreadableMessage(error, summary, dryRun) {
  if (dryRun || summary.sent === 0) return `Import failed: ${error.message}\nNothing was written.`;
  return (
    `Import failed: ${error.message}\n` +
    `${counted(summary.sent, "record")} from before that point had already gone in (${writtenSoFar(summary)}). ` +
    "Running the same command again once the file is whole is safe: every record has a stable id, so those already imported are passed over."
  );
}

/**
 * Import a file. Every record has a stable id on the Worker, so running the same import again
 * (after an interruption, or twice) writes only what is missing.
 * @param {{ file: string, from?: string, api?: string, token?: string, dryRun?: boolean, articleId?: "path" | "url",
 *   batchSize?: number, gapMs?: number, pause?: number, fetch?: typeof fetch,
 *   progress?: (state: { bytes: number, total: number, records: number }) => void }} options
 */
export async function runImport(options) {
  const { file, dryRun = false, articleId = "path", batchSize = BATCH_SIZE, gapMs = BATCH_GAP_MS, progress = () => {} } = options;
  if (options.from && !FORMATS.includes(options.from)) throw new UsageError(`--from must be one of ${FORMATS.join(", ")}.`);
  if (articleId !== "path" && articleId !== "url") throw new UsageError("--article-id must be path or url.");
  const format = await detectFormat(file, options.from);
  const total = (await stat(file)).size;
  const base = dryRun ? null : apiBase(options.api);
  const summary = emptySummary(format, articleId);
  /** Keys of the records sent so far: a second one with the same key would be refused, or pass for the first. */
  const seen = new Set();
  let bytes = 0;
  let lastSent = 0;
  let batch = [];
  /** Articles the batch carries comments of. */
  let articles = new Set();
  let queued = 0;

  const send = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    articles = new Set();
    summary.batches += 1;
    if (dryRun) return;
    const wait = lastSent + gapMs - Date.now();
    if (wait > 0) await sleep(wait);
    lastSent = Date.now();
    let answer;
    try {
      answer = await adminRequest(
        `${base}/admin/import`,
        { token: options.token, method: "POST", body: `${items.map(({ record }) => JSON.stringify(record)).join("\n")}\n`, headers: { "Content-Type": "application/x-ndjson" }, fetch: options.fetch, pause: options.pause },
        (response) => response.json(),
      );
    } catch (error) {
      throw new ImportStopped(stoppedMessage(error, items[0].where, summary, base));
    }
    summary.sent += items.length;
    for (const kind of ["comments", "votes", "earlier", "feedback"]) summary.written[kind] += answer.written?.[kind] ?? 0;
    summary.existing += answer.existing ?? 0;
    for (const refused of answer.skipped ?? []) summary.rejected.push({ where: items[refused.line - 1]?.where ?? `batch ${summary.batches}, line ${refused.line}`, message: refused.message });
  };

  try {
    for await (const item of readSource(file, format, { articleId, onBytes: (read) => (bytes = read) })) {
      if ("skip" in item) {
        note(item.refused ? summary.refused : summary.skipped, item.skip, item.where);
        continue;
      }
      const { kind, key } = identityOf(item.record);
      if (seen.has(key)) {
        note(summary.skipped, `the same ${kind} again in the file (the first one is kept)`, item.where);
        continue;
      }
      seen.add(key);
      if (item.note) note(summary.changed, item.note, item.where);
      tally(summary, item.record);
      if (item.link && item.record.article) noteLink(summary, item.record.article, item.link);
      const article = item.record.type === "comment" ? item.record.article : null;
      if (article !== null && !articles.has(article) && articles.size >= ARTICLES_PER_BATCH) {
        await send();
        progress({ bytes, total, records: queued });
      }
      batch.push(item);
      queued += 1;
      if (article !== null) articles.add(article);
      if (batch.length >= batchSize) {
        await send();
        progress({ bytes, total, records: queued });
      }
    }
  } catch (error) {
    if (error instanceof ImportStopped) throw error;
    throw new ImportStopped(unreadableMessage(error, summary, dryRun));
  }
  await send();
  progress({ bytes: total, total, records: queued });
  return summary;
}
