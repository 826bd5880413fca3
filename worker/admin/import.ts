import type { AttentionEntry } from "../cron/attention";
import { commentKeys } from "../comments/keys";
import type { StoredComment } from "../comments/model";
import { eachLimited } from "../lib/kv";
import { addQueueChange, reportCountChange } from "../comments/count-changes";
import type { CountChange } from "../comments/counts";
import { askWriter } from "../writer/client";
import { commentMetadata, queueKeys } from "../writer/comment-desk";
import { publicId } from "../lib/hash";
import { earlierKeys, ratingKeys, type EarlierMetadata, type StoredEarlier } from "../ratings/keys";
import { feedbackKey, type StoredFeedback } from "../feedback/store";
import { markAllForAttention } from "./import-attention";
import { parseRecord, RecordError, voteMetadata, type CommentRecord, type ImportRecord } from "./import-records";

/**
 * Records per request. A record costs at most 3 KV writes (a comment with an edit awaiting
 * review), so a full batch stays under 650 of the 1,000 operations a request may make: 600
 * writes, 2 bulk gets per 100 records, and 2–4 for the attention set.
 */
export const MAX_IMPORT_RECORDS = 200;
/** 200 comments of 5,000 characters, escaped, fit with room to spare. */
export const IMPORT_BODY_BYTES = 8 * 1024 * 1024;
/** Workers allow 6 connections at a time. */
const PARALLEL_WRITES = 6;
/**
 * Articles whose comments a batch hands to their writers: one Durable Object request each, and an
 * invocation on the Free plan makes at most 50 subrequests. The import CLI sends no more per batch.
 */
export const WRITERS_PER_BATCH = 40;

export interface SkippedRecord {
  /** 1-based line of the batch. */
  line: number;
  code: string;
  message: string;
  field?: string;
}

export interface ImportResult {
  received: number;
  written: { comments: number; votes: number; earlier: number; feedback: number };
  /** Already there from an earlier run: left as they are (a moderator may have changed them since). */
  existing: number;
  /** The export's header and paging lines. */
  ignored: number;
  skipped: SkippedRecord[];
  /**
   * Articles handed to the minute cron: ratings to recount, and threads of articles past the
   * batch's WRITERS_PER_BATCH to rebuild. False if that failed (the periodic sweep still finds them).
   */
  rebuild: { threads: number; ratings: number; queued: boolean };
}

interface Target {
  line: number;
  record: ImportRecord;
  a: string;
  key: string;
}

function keyOf(record: ImportRecord, a: string): string {
  if (record.type === "comment") return commentKeys.comment(a, record.id);
  if (record.type === "vote") return ratingKeys.vote(a, record.voter);
  if (record.type === "feedback") return feedbackKey(record.id);
  return earlierKeys.earlier(a);
}

/** Which keys already exist (comments, votes) and the earlier votes already recorded: one bulk get per 100. */
async function lookUp(kv: KVNamespace, targets: Target[]) {
  const earlier = targets.filter(({ record }) => record.type === "earlier").map(({ key }) => key);
  const others = targets.filter(({ record }) => record.type !== "earlier").map(({ key }) => key);
  const present = new Set<string>();
  const recorded = new Map<string, StoredEarlier & { count?: number; sum?: number }>();
  for (let start = 0; start < others.length; start += 100) {
    for (const [key, value] of await kv.get(others.slice(start, start + 100), "text")) if (value !== null) present.add(key);
  }
  for (let start = 0; start < earlier.length; start += 100) {
    for (const [key, value] of await kv.get<StoredEarlier & { count?: number; sum?: number }>(earlier.slice(start, start + 100), "json")) if (value) recorded.set(key, value);
  }
  return { present, recorded };
}

function storedComment(record: CommentRecord): StoredComment {
  const { type: _type, ...fields } = record;
  // No edit token was ever handed out for an imported comment: an empty hash matches none.
  return { ...fields, editTokenHash: "" };
}

async function write(kv: KVNamespace, secret: string, { record, a, key }: Target, now: number): Promise<void> {
  if (record.type === "comment") {
    // Past the articles a batch hands to their writers: the comment's keys as its writer writes them.
    const comment = storedComment(record);
    for (const entry of queueKeys(a, comment)) await kv.put(entry, "");
    await kv.put(key, JSON.stringify(comment), { metadata: await commentMetadata(secret, comment) });
    return;
  }
  if (record.type === "vote") {
    await kv.put(key, "", { metadata: voteMetadata(record) });
    return;
  }
  if (record.type === "feedback") {
    const { type: _type, ...stored } = record;
    await kv.put(key, JSON.stringify(stored satisfies StoredFeedback));
    return;
  }
  const at = record.at ?? now;
  const metadata: EarlierMetadata = { n: record.count, s: record.sum, t: at };
  await kv.put(key, JSON.stringify({ article: record.article, count: record.count, sum: record.sum, at }), { metadata });
}

function attentionFor(targets: Target[], now: number): AttentionEntry[] {
  const entries = new Map<string, AttentionEntry>();
  for (const { record, a } of targets) {
    if (record.article === null || record.type === "feedback") continue;
    if (record.type === "comment" && record.status !== "approved") continue;
    const kind = record.type === "comment" ? "thread" : "rating";
    // Imported votes bypass the article's running tally: the cron counts them from the keys.
    entries.set(`${kind}:${a}`, { kind, a, article: record.article, at: now, ...(kind === "rating" ? { full: true } : {}) });
  }
  return [...entries.values()];
}

/**
 * Import one batch of NDJSON lines. Every record is written under a stable key, so a batch sent
 * again (a retry, a resumed import) writes nothing twice; records already there are left alone.
 * Comments go to their article's writer, which shows them at once; ratings are recounted by the
 * minute cron from the source keys, once per article.
 */
export async function importBatch(env: Env, lines: string[], secret: string, now: number): Promise<ImportResult> {
  const kv = env.PLAUDIT;
  const result: ImportResult = { received: 0, written: { comments: 0, votes: 0, earlier: 0, feedback: 0 }, existing: 0, ignored: 0, skipped: [], rebuild: { threads: 0, ratings: 0, queued: true } };
  const targets: Target[] = [];
  const seen = new Set<string>();
  const ids = new Map<string, Promise<string>>();
  const idOf = (article: string) => ids.get(article) ?? ids.set(article, publicId(article)).get(article)!;
  for (const [index, text] of lines.entries()) {
    if (text.trim() === "") continue;
    result.received += 1;
    const line = index + 1;
    try {
      const record = await parseRecord(text, now);
      if (!record) {
        result.ignored += 1;
        continue;
      }
      const a = record.type === "vote" && record.article === null ? record.a! : await idOf(record.article!);
      const key = keyOf(record, a);
      // KV takes one write per second per key: the same key twice in a batch is one record.
      if (seen.has(key)) throw new RecordError("duplicate_record", "An earlier line of this batch has the same record (same id, voter or article).");
      seen.add(key);
      targets.push({ line, record, a, key });
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      result.skipped.push({ line, code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) });
    }
  }

  // Each article's comments go to its writer, which stores and shows them in one call; a batch
  // asks at most WRITERS_PER_BATCH writers (subrequests are capped), the rest is left to the cron.
  const byArticle = new Map<string, { article: string; targets: Target[] }>();
  for (const target of targets) {
    if (target.record.type !== "comment") continue;
    const group = byArticle.get(target.a) ?? { article: target.record.article, targets: [] };
    group.targets.push(target);
    byArticle.set(target.a, group);
  }
  const toWriters = [...byArticle].slice(0, WRITERS_PER_BATCH);
  const shown = new Set(toWriters.map(([a]) => a));
  await eachLimited(toWriters, PARALLEL_WRITES, async ([a, group]) => {
    const ref = { a, article: group.article };
    const comments = group.targets.map(({ record }) => storedComment(record as CommentRecord));
    const imported = await askWriter(env, ref, (writer) => writer.importComments(ref, comments));
    result.written.comments += imported.written;
    result.existing += imported.existing;
  });
  const rest = targets.filter((target) => !(target.record.type === "comment" && shown.has(target.a)));

  const { present, recorded } = await lookUp(kv, rest);
  const fresh = rest.filter(({ record, key }) => {
    if (record.type !== "earlier") return !present.has(key);
    const before = recorded.get(key);
    // The same totals again keep their first time, so a reset since then still holds.
    return !before || before.count !== record.count || before.sum !== record.sum;
  });
  result.existing += rest.length - fresh.length;
  // The comments written here (past the batch's writers) join the site's counts as a writer's would.
  const counted: CountChange = {};
  try {
    await eachLimited(fresh, PARALLEL_WRITES, async (target) => {
      await write(kv, secret, target, now);
      const kind = target.record.type;
      result.written[kind === "comment" ? "comments" : kind === "vote" ? "votes" : kind]! += 1;
      if (target.record.type === "comment") addQueueChange(counted, new Set(), queueKeys(target.a, storedComment(target.record)));
    });
  } finally {
    await reportCountChange(env, counted);
  }

  // Articles of records already there too: a batch retried after a failure half-way still gets them rebuilt.
  const attention = attentionFor(targets, now).filter((entry) => entry.kind !== "thread" || !shown.has(entry.a));
  result.rebuild = {
    threads: attention.filter((entry) => entry.kind === "thread").length,
    ratings: attention.filter((entry) => entry.kind === "rating").length,
    queued: await markAllForAttention(kv, attention),
  };
  return result;
}

