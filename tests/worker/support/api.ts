import { expect } from "vitest";
import { createScheduledController, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../worker/index";
import { runScheduled } from "../../../worker/scheduled";
import { SMALL_SITE_SWEEP_HOURS, sweepIsDue } from "../../../worker/cron/job";
import { TEST_SECRETS } from "../../secrets";
import { resolveObjectEnv } from "../../../worker/writer/object-env";
import { parseArticleId } from "../../../worker/lib/article";
import { publicId } from "../../../worker/lib/hash";
import { PRODUCTION_KV_BY_DEFAULT, productionEnv, skipSharedKv } from "./production";
import { modelOf } from "../../support/production-kv";

export const BASE = "https://plaudit.test";

export interface CallOptions {
  body?: unknown;
  /** Raw body (text or a stream, which is sent without Content-Length); overrides `body`. */
  raw?: string | ReadableStream;
  ip?: string;
  origin?: string;
  headers?: Record<string, string>;
  /** Bindings to override for this call (a counting KV, other settings...). */
  env?: Partial<Env>;
}

let ipCounter = 0;
/** A fresh client IP per call site, so rate limits from other tests never interfere. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export function freshVoter(): string {
  return `voter_${crypto.randomUUID().replaceAll("-", "")}`;
}

export function articlePath(article: string, suffix = ""): string {
  return `/api/v1/articles/${encodeURIComponent(article)}${suffix}`;
}

/** Wait until an article's writer has written to KV all it owes (see writersSettled). */
export async function untilWritten(article: string, options: CallOptions = {}): Promise<void> {
  await writersSettled(withWritersOn({ ...env, ...options.env } as Env), [article]);
}

/** Call the Worker's fetch handler in-process, against the real miniflare KV and rate limiter. */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  headers.set("CF-Connecting-IP", options.ip ?? freshIp());
  if (options.origin) headers.set("Origin", options.origin);
  let body: string | ReadableStream | undefined = options.raw;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const request = new Request(`${BASE}${path}`, { method, headers, body });
  const callEnv = withWritersOn({ ...env, ...defaultKv("request"), ...options.env } as Env);
  if (method === "GET") await writersSettled(callEnv, articlesRead(path));
  return worker.fetch(request, callEnv, {
    waitUntil: () => {},
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext);
}

export async function json<T = any>(response: Response): Promise<T> {
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

/** Assert the one error shape and return its code. */
export async function errorCode(response: Response): Promise<string> {
  const body = await json<{ error: { code: string; message: string } }>(response);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error.code;
}

export function vote(article: string, voter: string, rating: unknown, options: CallOptions = {}) {
  return call("PUT", articlePath(article, "/vote"), { ...options, body: { voter, rating } });
}

export function retract(article: string, voter: string, options: CallOptions = {}) {
  return call("DELETE", articlePath(article, "/vote"), { ...options, body: { voter } });
}

export async function readRating(article: string, options: CallOptions = {}) {
  const response = await call("GET", articlePath(article), options);
  expect(response.status).toBe(200);
  return (await response.json<{ rating: { count: number; sum: number; average: number; histogram: number[] } }>()).rating;
}

/**
 * The article's public rating matches `expected`, now or within a turn: a running tally writes the
 * aggregate at most once per 1.5 s turn, the last vote's change after its answer (as a page view in
 * production may also lag). Immediate under the suites' default (no gap between writes).
 */
export async function expectRating(article: string, expected: Record<string, unknown>, options: CallOptions = {}) {
  await expect.poll(() => readRating(article, options), { timeout: 5_000 }).toMatchObject(expected);
}

/** The first time after `after` at which a small site's periodic sweep runs. */
export function nextSweepTime(after: number): number {
  const hour = 60 * 60 * 1000;
  let at = Math.ceil(after / hour) * hour;
  while (new Date(at).getUTCHours() % SMALL_SITE_SWEEP_HOURS !== 0) at += hour;
  return at;
}

/** A cron run this far ahead sees every write so far settled (KV lists lag writes by up to 60 s). */
export const SETTLED_MS = 2 * 60_000;

/** The first minute from `at` in which no periodic sweep (a small site's or a big one's) starts. */
function outsideSweeps(at: number): number {
  while (sweepIsDue(at, null) || sweepIsDue(at, { queue: [], startedAt: 0, big: true })) at += 60_000;
  return at;
}

/**
 * Run the minute cron as Cloudflare would, without waiting between hot recounts: by default the
 * run two minutes from now, when what the test wrote has settled (a minute later if a sweep would
 * start then: a test run at 11:58 must not sweep by chance); `sweep` picks a time when the
 * periodic sweep runs as well.
 */
export async function runCron(options: { sweep?: boolean; at?: number; env?: Partial<Env> } = {}) {
  const at = options.at ?? (options.sweep ? nextSweepTime(Date.now() + SETTLED_MS) : outsideSweeps(Date.now() + SETTLED_MS));
  // The shared production model runs that much later too (lists settle within SETTLED_MS; no need to
  // skip hours to a sweep, which would expire every TTL key).
  skipSharedKv(Math.min(at - Date.now(), SETTLED_MS));
  const controller = createScheduledController({ cron: "* * * * *", scheduledTime: at });
  return runScheduled(controller, withWritersOn({ ...env, ...defaultKv("cron"), ...options.env } as Env), { sleep: async () => {} });
}

/**
 * The articles' writers (Durable Objects in this same isolate) use the bindings the call uses, as
 * in production they share the Worker's: a test's counting, faulty or production-model KV sees
 * their operations too, and its settings (the write gap) hold for them.
 */
function withWritersOn(callEnv: Env): Env {
  resolveObjectEnv(() => callEnv);
  const model = modelOf(callEnv.PLAUDIT);
  return model?.ownsData && callEnv.ARTICLES ? { ...callEnv, ARTICLES: writersOfSite(callEnv.ARTICLES, model) } : callEnv;
}

/** The article a page view (or a page of its comments) reads; an index page's batch waits for none. */
function articlesRead(path: string): string[] {
  const one = /^\/api\/v1\/articles\/([^/]+)/.exec(new URL(path, BASE).pathname);
  return (one ? [decodeURIComponent(one[1]!)] : []).flatMap((id) => {
    try {
      return [parseArticleId(id)];
    } catch {
      return [];
    }
  });
}

/**
 * A page view waits until the articles' writers have written what they owe KV. Deployed, a change
 * within a turn of the one before shows a moment after its answer (KV takes one write per second
 * per key); a test reading right after a change reads as a reader a second later would.
 */
export async function writersSettled(callEnv: Env, articles: string[]): Promise<void> {
  if (!callEnv.ARTICLES) return;
  for (const article of articles) {
    const writer = callEnv.ARTICLES.get(callEnv.ARTICLES.idFromName(await publicId(article)));
    const owed = () => runInDurableObject(writer, async (_, state) => (await state.storage.list({ prefix: "owed:", limit: 1 })).size);
    await expect.poll(owed, { timeout: 8_000, interval: 50 }).toBe(0);
  }
}

const sites = new WeakMap<object, string>();
/**
 * A site of its own (a test's KV model with its data in memory) has writers of its own too: the
 * same article on two sites must not share one writer's storage.
 */
function writersOfSite(namespace: Env["ARTICLES"], model: object): Env["ARTICLES"] {
  if (!sites.has(model)) sites.set(model, crypto.randomUUID());
  const site = sites.get(model)!;
  return new Proxy(namespace, {
    get(target, property) {
      if (property === "idFromName") return (name: string) => target.idFromName(`${site}|${name}`);
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** One invocation's KV: miniflare's as is, or (PRODUCTION_KV=1) through the production model. */
function defaultKv(label: string): Partial<Env> {
  return PRODUCTION_KV_BY_DEFAULT ? productionEnv(undefined, { label }) : {};
}

/** Fields of a comment POST; deliberately loose so tests can send wrong types. */
export type CommentInput = Record<string, unknown>;

let commentCounter = 0;
/** Post a comment; bodies are unique unless given, so the duplicate rule stays out of the way. */
export function postComment(article: string, input: CommentInput = {}, options: CallOptions = {}) {
  commentCounter += 1;
  return call("POST", articlePath(article, "/comments"), {
    ...options,
    body: { author: "Ada", body: `Comment number ${commentCounter}, with a thought of its own.`, ...input },
  });
}

export const ADMIN = { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` };

/** Call an admin route with the test admin token. */
export function admin(method: string, path: string, options: CallOptions = {}) {
  return call(method, `/api/v1/admin${path}`, { ...options, headers: { ...ADMIN, ...options.headers } });
}

export function commentPath(article: string, id: string) {
  return `/comments/${encodeURIComponent(article)}/${id}`;
}

/** Post under post-moderation (published at once) and return the created comment. */
export async function publish(article: string, input: CommentInput = {}) {
  const response = await postComment(article, input, { env: { MODERATION: "post" } });
  expect(response.status).toBe(201);
  return (await response.json<{ comment: { id: string; status: string }; editToken: string }>());
}

/**
 * A published thread of `bodies`, oldest first, in one import batch that the cron then builds:
 * posted one by one, each change of one article's thread would wait its turn (KV takes one write a
 * second per key), over a minute for 50 comments. Returns the comments' ids.
 */
export async function seedThread(article: string, bodies: string[]): Promise<string[]> {
  const { importedCommentId } = await import("../../../worker/admin/import-records");
  const records = bodies.map((body, i) => ({
    type: "comment",
    source: "wordpress",
    sourceId: `${article}-${i}`,
    article,
    author: "Ada",
    body,
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    status: "approved",
  }));
  const raw = records.map((record) => JSON.stringify(record)).join("\n");
  const response = await admin("POST", "/import", { raw, headers: { "Content-Type": "application/x-ndjson" } });
  expect(response.status).toBe(200);
  expect((await response.json<{ written: { comments: number } }>()).written.comments).toBe(bodies.length);
  await runCron();
  return Promise.all(records.map((record) => importedCommentId("wordpress", record.sourceId)));
}

/**
 * Let KV settle, as it has by the time a moderator acts on what the queue shows (its lists run up to
 * a minute behind writes, and a key takes one write a second): moves the shared production model on.
 */
export function kvSettles(): void {
  skipSharedKv(SETTLED_MS);
}
