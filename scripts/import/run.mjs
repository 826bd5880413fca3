// The import command's work: read the file as a stream, send its records in batches each well
// inside a Worker's limits, and keep the tally the summary prints.
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { adminRequest, apiBase, UsageError } from "./admin-api.mjs";
import { readDisqus } from "./disqus.mjs";
import { readPlaudit } from "./plaudit.mjs";
import { readWordPress } from "./wordpress.mjs";
import { xmlEvents } from "./xml-events.mjs";

/** Records per request: the Worker takes up to 200, each costing it at most 3 KV writes. */
export const BATCH_SIZE = 200;
/** The Worker writes its rebuild list once per batch, and KV takes one write per second per key. */
export const BATCH_GAP_MS = 1_100;
export const FORMATS = ["wordpress", "disqus", "plaudit"];

/** Disqus mails its export gzipped: a .gz file is read through gunzip, still as a stream. */
const gzipped = (path) => path.endsWith(".gz");

/** The first 64 KiB of the file's text. */
async function headOf(path) {
  if (!gzipped(path)) {
    const handle = await open(path, "r");
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(65_536), 0, 65_536, 0);
      return buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  }
  let head = "";
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream) {
      head += chunk.toString("utf8");
      if (head.length >= 65_536) break;
    }
  } finally {
    stream.destroy();
  }
  return head;
}

/** Which export a file is, from its first bytes. */
export async function detectFormat(path) {
  const head = (await headOf(path)).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("{")) return "plaudit";
  if (/<disqus[\s>]/.test(head)) return "disqus";
  if (/<rss[\s>]/.test(head) && /wordpress\.org\/export/.test(head)) return "wordpress";
  throw new UsageError(`Cannot tell what ${path} is: expected a WordPress export (WXR), a Disqus export or Plaudit NDJSON. Say which with --from.`);
}

/** The file's records, parsed as it streams in; `onBytes` hears how far the reading got (in the file's own bytes). */
export function readSource(path, format, { articleId = "path", onBytes = () => {} } = {}) {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  let read = 0;
  file.on("data", (chunk) => onBytes((read += chunk.length)));
  const stream = gzipped(path) ? file.pipe(createGunzip()) : file;
  if (format === "plaudit") return readPlaudit(stream);
  const events = xmlEvents(stream, path);
  return format === "disqus" ? readDisqus(events, { articleId }) : readWordPress(events, { articleId });
}

export function emptySummary(format) {
  return {
    format,
    articles: new Set(),
    comments: { approved: 0, pending: 0, spam: 0, deleted: 0 },
    ratings: { articles: 0, votes: 0 },
    votes: 0,
    /** reason → how many, and where the first few were */
    skipped: new Map(),
    /** records the Worker refused, with its reason */
    rejected: [],
    /** article id → the first permalink that gave it, and another one if two did */
    links: new Map(),
    written: { comments: 0, votes: 0, earlier: 0, feedback: 0 },
    existing: 0,
    batches: 0,
    sent: 0,
  };
}

/** Different permalinks that became one article id: their comments and ratings are merged. */
function noteLink(summary, article, link) {
  const seen = summary.links.get(article);
  if (!seen) summary.links.set(article, { first: link });
  else if (!seen.other && seen.first !== link) seen.other = link;
}

function tally(summary, record) {
  if (record.article) summary.articles.add(record.article);
  if (record.type === "comment") summary.comments[record.status] = (summary.comments[record.status] ?? 0) + 1;
  else if (record.type === "earlier") {
    summary.ratings.articles += 1;
    summary.ratings.votes += record.count;
  } else if (record.type === "vote") summary.votes += 1;
}

function skip(summary, reason, where) {
  const entry = summary.skipped.get(reason) ?? { count: 0, examples: [] };
  entry.count += 1;
  if (entry.examples.length < 3) entry.examples.push(where);
  summary.skipped.set(reason, entry);
}

/** Stopped part-way: says how far it got and how to go on. */
export class ImportStopped extends Error {}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

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
  const format = options.from ?? (await detectFormat(file));
  const total = (await stat(file)).size;
  const base = dryRun ? null : apiBase(options.api);
  const summary = emptySummary(format);
  let bytes = 0;
  let lastSent = 0;
  let batch = [];

  const send = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
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
      throw new ImportStopped(
        `Stopped at ${items[0].where} (batch ${summary.batches}, after ${summary.sent} records went in): ${error.message}\n` +
          "Nothing is half-written that a second run will not finish: run the same command again to resume (records already imported are passed over).",
      );
    }
    summary.sent += items.length;
    for (const kind of ["comments", "votes", "earlier", "feedback"]) summary.written[kind] += answer.written?.[kind] ?? 0;
    summary.existing += answer.existing ?? 0;
    for (const refused of answer.skipped ?? []) summary.rejected.push({ where: items[refused.line - 1]?.where ?? `batch ${summary.batches}, line ${refused.line}`, message: refused.message });
  };

  for await (const item of readSource(file, format, { articleId, onBytes: (read) => (bytes = read) })) {
    if ("skip" in item) {
      skip(summary, item.skip, item.where);
      continue;
    }
    tally(summary, item.record);
    if (item.link && item.record.article) noteLink(summary, item.record.article, item.link);
    batch.push(item);
    if (batch.length >= batchSize) {
      await send();
      progress({ bytes, total, records: summary.batches * batchSize });
    }
  }
  const records = summary.batches * batchSize + batch.length;
  await send();
  progress({ bytes: total, total, records });
  return summary;
}

const number = (n) => n.toLocaleString("en-US");

/** The summary as the command prints it. */
export function formatSummary(summary, { dryRun = false } = {}) {
  const { comments } = summary;
  const commentTotal = Object.values(comments).reduce((sum, n) => sum + n, 0);
  const byStatus = Object.entries(comments).filter(([, n]) => n > 0).map(([status, n]) => `${status} ${number(n)}`).join(", ");
  const lines = [
    `${dryRun ? "Dry run (nothing written)" : "Imported"} from ${summary.format}:`,
    `  articles: ${number(summary.articles.size)}`,
    `  comments: ${number(commentTotal)}${byStatus ? ` (${byStatus})` : ""}`,
    `  ratings: ${number(summary.ratings.articles)} articles with ${number(summary.ratings.votes)} earlier votes`,
  ];
  if (summary.votes) lines.push(`  votes: ${number(summary.votes)}`);
  const skipped = [...summary.skipped.values()].reduce((sum, entry) => sum + entry.count, 0);
  const merged = [...summary.links].filter(([, seen]) => seen.other);
  if (merged.length) {
    const [article, { first, other }] = merged[0];
    lines.push(
      `  merged: ${number(merged.length)} article ids came from more than one permalink (e.g. "${article}" from ${first} and ${other}); ` +
        "if those are different pages, import with --article-id url and give each page's widget its URL as article",
    );
  }
  lines.push(`  skipped: ${number(skipped)}`);
  for (const [reason, entry] of [...summary.skipped].sort((x, y) => y[1].count - x[1].count)) {
    lines.push(`    ${reason}: ${number(entry.count)} (e.g. ${entry.examples.join("; ")})`);
  }
  if (!dryRun) {
    const { written } = summary;
    lines.push(`  written now: ${number(written.comments)} comments, ${number(written.votes)} votes, ${number(written.earlier)} earlier-vote totals, ${number(written.feedback)} feedback; already there: ${number(summary.existing)}`);
    if (summary.rejected.length) {
      lines.push(`  refused by the Worker: ${number(summary.rejected.length)}`);
      for (const { where, message } of summary.rejected.slice(0, 20)) lines.push(`    ${where}: ${message}`);
      if (summary.rejected.length > 20) lines.push(`    … and ${number(summary.rejected.length - 20)} more`);
    }
    lines.push("Threads and ratings appear once the minute cron has rebuilt them (a minute or two).");
  }
  return lines.join("\n");
}
