// Which export a file is, told from its content (never its name), so that a file of another kind
// is refused before anything is sent rather than half-read as the wrong one.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { UsageError } from "./admin-api.mjs";

export const FORMATS = ["wordpress", "disqus", "plaudit"];
export const FORMAT_NAMES = { wordpress: "WordPress export (WXR)", disqus: "Disqus export", plaudit: "Plaudit backup (NDJSON)" };
const HEAD_BYTES = 65_536;
/** The `type` of every line of Plaudit's NDJSON (npm run export, or a script writing its records). */
const RECORD_TYPES = new Set(["export", "continue", "vote", "earlier", "comment", "feedback"]);

/** Disqus mails its export gzipped, and other systems' backups are often: gzip says so in its first two bytes. */
export async function isGzip(path) {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The first 64 KiB of the file's text, through gunzip when it is gzipped. */
async function headOf(path) {
  const stream = (await isGzip(path)) ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { end: HEAD_BYTES - 1 });
  const chunks = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= HEAD_BYTES) break;
    }
  } catch {
    // A gzip cut short still has a readable beginning; what it holds is judged below.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, HEAD_BYTES).toString("utf8");
}

function firstJsonLine(text) {
  try {
    const value = JSON.parse(text.split("\n", 1)[0]);
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * What a file's beginning shows it to be: `{ format }` for one this command reads, else
 * `{ not }`, a description of what it is instead.
 * @param {string} head
 * @returns {{ format: string } | { not: string }}
 */
export function recognise(head) {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (!text) return { not: "it is empty" };
  if (text.includes("\u0000")) return { not: "it is not a text file" };
  if (text.startsWith("<")) {
    if (/<disqus[\s>]/.test(text)) return { format: "disqus" };
    if (/<rss[\s>]/.test(text) && /wordpress\.org\/export\//.test(text)) return { format: "wordpress" };
    if (/<html[\s>]|<!doctype html/i.test(text)) return { not: "it is a web page (HTML), not an export" };
    if (/<(rss|feed)[\s>]/.test(text)) return { not: "it is a feed (RSS or Atom), not an export: WordPress's is made by Tools → Export" };
    return { not: "it is XML, but neither a WordPress export (WXR) nor a Disqus export" };
  }
  if (text.startsWith("{") || text.startsWith("[")) {
    const first = firstJsonLine(text);
    if (first && RECORD_TYPES.has(first.type)) return { format: "plaudit" };
    if (/"commentHex"|"commenterHex"/.test(text)) return { not: "it looks like a Commento export, which this command does not import" };
    if (/"locator"\s*:/.test(text) || (first && "users" in first && "posts" in first)) return { not: "it looks like a Remark42 backup, which this command does not import" };
    return { not: "it is JSON, but not a Plaudit backup (one record a line, each with a `type`)" };
  }
  return { not: "it is neither XML nor JSON" };
}

/**
 * The file's format, or a UsageError saying what it is instead; `from` (--from) must agree.
 * @param {string} path @param {string} [from]
 */
export async function detectFormat(path, from) {
  const found = recognise(await headOf(path));
  if ("not" in found) {
    throw new UsageError(`Cannot tell what ${path} is: ${found.not}. Nothing was written.\nThis command imports a WordPress export (WXR), a Disqus export or a Plaudit backup (NDJSON from npm run export).`);
  }
  if (from && from !== found.format) throw new UsageError(`${path} is a ${FORMAT_NAMES[found.format]}, not a ${FORMAT_NAMES[from]} (--from ${from}). Nothing was written.`);
  return found.format;
}
