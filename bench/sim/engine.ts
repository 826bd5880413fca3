/**
 * The discrete-event engine: runs the REAL Worker (fetch and scheduled) on a virtual clock against
 * ProductionKv, one KV binding per invocation at the client's Cloudflare location.
 */
import worker, { ArticleWriter, CommentCounts, WriteSlots } from "../../worker/index";
import { resolveObjectEnv } from "../../worker/writer/object-env";
import { simulatedObjectState } from "./object-state";
import { SimulatedDurableObjects } from "./durable-objects";
import { addCounts, zeroCounts, type KvCounts } from "../../tests/support/kv-model/stats";
import { ProductionKv, type Invocation, type Plan } from "../../tests/support/production-kv";
import { installClock, installTimers, settle, VirtualClock, VirtualTimers } from "./clock";
import type { WorkerConfig } from "./config";
import { SimRecord, type CommentRecord } from "./metrics";
import { SimulatedRateLimits } from "./ratelimit";

export const ADMIN_TOKEN = "simulation-admin-token-0123456789";
const SECRETS = { HASH_SECRET: "simulation-hash-secret-0123456789", ADMIN_TOKEN };
const BASE = "https://plaudit.example/api/v1";

export interface Client {
  ip: string;
  location: string;
  hostile?: boolean;
  /** Comments this client posted (ids), for its edits and deletes. */
  comments?: string[];
}

export type Action =
  | { kind: "view"; article: string }
  | { kind: "index"; articles: string[] }
  | { kind: "vote"; article: string; voter: string; rating: number }
  | { kind: "retract"; article: string; voter: string }
  | { kind: "comment"; article: string; author: string; body: string; email?: string }
  | { kind: "owner-comment"; article: string; body: string }
  | { kind: "feedback"; article: string; voter: string; body: string }
  | { kind: "search"; query: string }
  | { kind: "edit"; body: string }
  | { kind: "delete-own" }
  | { kind: "moderate"; approve: boolean }
  | { kind: "cron"; cron: string };

export interface SimEvent {
  at: number;
  client: Client;
  action: Action;
  /** Part of the profile's once-a-day episode (a viral burst, an attack), not of its normal traffic. */
  episode?: boolean;
}

export interface EngineOptions {
  start: number;
  plan: Plan;
  /** Requests within one slot run concurrently at the slot's instant, so bursts really race. */
  slotMs: number;
}

/**
 * The Worker's Durable Object classes, by class name, each object with storage and an alarm of its
 * own. Their bindings are the simulated Worker's (see `resolveObjectEnv` in the engine). A write
 * coordinator's alarm has nothing to do in a simulation, where a request's waitUntil work always runs.
 */
function durableObjectNamespace(className: string, env: Env, around: Around): SimulatedDurableObjects<object> {
  const classes: Record<string, () => object> = {
    WriteSlots: () => new WriteSlots(simulatedObjectState(async () => {}), {} as Env),
    CommentCounts: () => new CommentCounts(simulatedObjectState(async () => {}), env),
    ArticleWriter: () => {
      let writer: ArticleWriter | undefined = undefined;
      writer = new ArticleWriter(simulatedObjectState(() => around(() => writer!.alarm())), env);
      return writer;
    },
  };
  const create = classes[className];
  if (!create) throw new Error(`The simulator does not know the Durable Object class ${className}`);
  return new SimulatedDurableObjects(create, around);
}

type Around = <R>(call: () => Promise<R>) => Promise<R>;

const CRON_CLIENT: Client = { ip: "0.0.0.0", location: "cron" };

export class Engine {
  readonly clock: VirtualClock;
  readonly kv: ProductionKv;
  readonly record = new SimRecord();
  /** KV operations billed, per invocation label (route or cron). */
  readonly billedByLabel = new Map<string, KvCounts>();
  /** KV operations billed to requests of the profile's episode. */
  readonly billedEpisode = zeroCounts();
  private readonly limits: SimulatedRateLimits;

  constructor(
    private readonly config: WorkerConfig,
    options: EngineOptions,
  ) {
    this.clock = new VirtualClock(options.start);
    this.timers = new VirtualTimers(this.clock);
    this.kv = new ProductionKv({ clock: () => this.clock.now, plan: options.plan });
    this.limits = new SimulatedRateLimits(config.ratelimits, () => this.clock.now);
    this.slotMs = options.slotMs;
    // An object's call (or alarm) is an invocation of its own, at the object's location: its KV
    // binding, read as the call starts, is that invocation's.
    let current: Invocation | undefined;
    const around: Around = (call) => {
      const invocation = this.kv.invocation({ location: "object", label: "Durable Object" });
      const previous = current;
      current = invocation;
      try {
        // An object's method may answer synchronously (RPC makes it a promise all the same).
        return Promise.resolve(call()).finally(() => invocation.end());
      } finally {
        current = previous;
      }
    };
    const objectEnv = Object.defineProperty({ ...this.config.vars, ...SECRETS }, this.config.kvBinding, {
      get: () => (current ?? this.kv.invocation({ location: "object", label: "Durable Object" })).kv,
    }) as unknown as Env;
    this.durableObjects = Object.fromEntries(config.durableObjects.map(({ name, className }) => [name, durableObjectNamespace(className, objectEnv, around)]));
    resolveObjectEnv(() => objectEnv);
  }

  /** Durable Object namespaces by binding name, as wrangler.toml declares them. */
  readonly durableObjects: Record<string, SimulatedDurableObjects<object>>;

  /** Requests made to Durable Objects so far. */
  get durableObjectRequests(): number {
    return Object.values(this.durableObjects).reduce((sum, namespace) => sum + namespace.requests, 0);
  }

  private readonly slotMs: number;
  private readonly timers: VirtualTimers;
  /** Cron runs still going: they wait in simulated time between hot recounts while requests go on. */
  private readonly running = new Set<Promise<void>>();

  /** Run events in time order; those sharing a slot run together. */
  async run(events: SimEvent[]): Promise<void> {
    const restore = installClock(this.clock);
    const restoreTimers = installTimers(this.timers);
    const quiet = silenceConsole();
    try {
      let i = 0;
      while (i < events.length) {
        const slot = Math.floor(events[i]!.at / this.slotMs);
        let j = i + 1;
        while (j < events.length && Math.floor(events[j]!.at / this.slotMs) === slot) j += 1;
        await this.fireTimersUntil(events[i]!.at);
        this.clock.advanceTo(events[i]!.at);
        const batch = events.slice(i, j);
        await Promise.all(batch.map((event) => this.start(event, batch.length === 1)));
        this.timers.disarm();
        i = j;
      }
      while (this.running.size > 0 || this.timers.next() !== undefined) await this.fireTimersUntil(Infinity);
    } finally {
      quiet();
      restoreTimers();
      restore();
    }
  }

  /**
   * Cron runs are not awaited here: they may wait for simulated time that only later events reach.
   * Neither is a request that sets a timer (waiting for its turn to write a key) and is not done
   * once its turn of the event loop is over.
   */
  private async start(event: SimEvent, alone: boolean): Promise<void> {
    const execution = this.execute(event, alone);
    if (event.action.kind !== "cron") {
      const done = await Promise.race([execution.then(() => true), this.timers.armed().then(() => false)]);
      if (done || (await Promise.race([execution.then(() => true), settle(4).then(() => false)]))) return;
    }
    const run = execution.finally(() => this.running.delete(run));
    this.running.add(run);
    await settle(2);
  }

  private async fireTimersUntil(at: number): Promise<void> {
    for (let due = this.timers.next(); due !== undefined && due <= at; due = this.timers.next()) {
      this.timers.fireNext();
      await settle();
    }
    if (at === Infinity && this.running.size > 0 && this.timers.next() === undefined) await Promise.all(this.running);
  }

  private probes = 0;

  /** GET a path at a location, outside the measured traffic (the final check). */
  async probe(path: string, location: string): Promise<{ status: number; json: any }> {
    const restore = installClock(this.clock);
    // Each from an address of its own: the check reads every article, which no reader's read allowance allows.
    this.probes += 1;
    const ip = `198.18.${(this.probes >> 8) & 255}.${this.probes & 255}`;
    try {
      const { response, body } = await this.invoke("probe", { ip, location }, request("GET", path, ip));
      return { status: response.status, json: parse(body) };
    } finally {
      restore();
    }
  }

  private env(location: string, kv: KVNamespace): Env {
    return { ...this.config.vars, ...SECRETS, ...this.limits.bindings(location), ...this.durableObjects, [this.config.kvBinding]: kv } as unknown as Env;
  }

  /** One invocation: its own KV binding, waitUntil promises awaited before its op count is final. */
  private async invoke(label: string, client: Client, req: Request | { cron: string }, measureCpu = false) {
    const invocation = this.kv.invocation({ location: client.location, label });
    const waits: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => waits.push(p), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const env = this.env(client.location, invocation.kv);
    const started = performance.now();
    let response: Response;
    let body = "";
    if (req instanceof Request) {
      response = await worker.fetch(req, env, ctx);
      body = await response.text();
    } else {
      const controller = { cron: req.cron, scheduledTime: this.clock.now, noRetry: () => {} } as ScheduledController;
      try {
        await worker.scheduled(controller, env);
        response = new Response(null, { status: 204 });
      } catch {
        response = new Response(null, { status: 500 });
      }
    }
    if (measureCpu) this.record.cpu(label, performance.now() - started);
    await Promise.allSettled(waits);
    invocation.end();
    const total = this.billedByLabel.get(label) ?? zeroCounts();
    this.billedByLabel.set(label, addCounts(total, invocation.billed));
    return { response, body, billed: invocation.billed };
  }

  private async execute(event: SimEvent, alone: boolean): Promise<void> {
    const { client, action } = event;
    if (action.kind === "moderate") {
      // As a moderator at /admin would: read the queue, then decide on its oldest entry.
      const queue = await this.send("GET /admin/comments", client, request("GET", "/admin/comments?status=pending&limit=100", client.ip, undefined, true), alone);
      const listed: { id: string }[] = queue.json?.comments ?? [];
      const target = [...listed].reverse().map(({ id }) => this.record.comments.get(id)).find((known) => known?.status === "pending");
      if (!target) return;
      const path = `/admin/comments/${encodeURIComponent(target.article)}/${target.id}`;
      const { status, json } = await this.send("PATCH /admin/comments/:article/:id", client, request("PATCH", path, client.ip, { status: action.approve ? "approved" : "spam" }, true), alone);
      if (status === 200) target.status = json.comment.status;
      return;
    }
    const { label, req, target } = this.requestFor(event);
    if (!req) return;
    if (!(req instanceof Request)) {
      const { response } = await this.invoke(label, CRON_CLIENT, req, alone);
      if (response.status >= 500) this.record.response(500, `cron ${req.cron}`);
      return;
    }
    const { status, json, bytes } = await this.send(label, client, req, alone, event.episode);
    this.observe(event, status, json, bytes, target);
  }

  /** One request: its response recorded, and its writes charged to a hostile client's account. */
  private async send(label: string, client: Client, req: Request, alone: boolean, episode = false) {
    const { response, body, billed } = await this.invoke(label, client, req, alone);
    if (episode) addCounts(this.billedEpisode, billed);
    const json = parse(body);
    this.record.response(response.status, json?.error?.code);
    if (client.hostile) {
      this.record.hostileRequests += 1;
      this.record.hostileWrites += billed.writes + billed.deletes;
    }
    return { status: response.status, json, bytes: body.length };
  }

  private requestFor({ client, action }: SimEvent): { label: string; req: Request | { cron: string } | null; target?: CommentRecord } {
    const article = (id: string, suffix = "") => `/articles/${encodeURIComponent(id)}${suffix}`;
    switch (action.kind) {
      case "view":
        return { label: "GET /articles/:id", req: request("GET", article(action.article), client.ip) };
      case "index":
        return { label: "GET /articles?ids=", req: request("GET", `/articles?${action.articles.map((id) => `ids=${encodeURIComponent(id)}`).join("&")}`, client.ip) };
      case "vote":
        return { label: "PUT /articles/:id/vote", req: request("PUT", article(action.article, "/vote"), client.ip, { voter: action.voter, rating: action.rating }) };
      case "retract":
        return { label: "DELETE /articles/:id/vote", req: request("DELETE", article(action.article, "/vote"), client.ip, { voter: action.voter }) };
      case "comment":
        return { label: "POST /articles/:id/comments", req: request("POST", article(action.article, "/comments"), client.ip, { author: action.author, body: action.body, email: action.email }) };
      case "owner-comment":
        return { label: "POST /admin/articles/:id/comments", req: request("POST", `/admin${article(action.article, "/comments")}`, client.ip, { body: action.body }, true) };
      case "feedback":
        return { label: "POST /articles/:id/feedback", req: request("POST", article(action.article, "/feedback"), client.ip, { voter: action.voter, body: action.body }) };
      case "search":
        return { label: "GET /admin/comments?q=", req: request("GET", `/admin/comments?status=approved&q=${encodeURIComponent(action.query)}`, client.ip, undefined, true) };
      case "edit":
      case "delete-own": {
        const own = this.ownComment(client);
        if (!own) return { label: "", req: null };
        const path = article(own.article, `/comments/${own.id}`);
        return action.kind === "edit"
          ? { label: "PATCH /articles/:id/comments/:id", req: request("PATCH", path, client.ip, { editToken: own.editToken, body: action.body }), target: own }
          : { label: "DELETE /articles/:id/comments/:id", req: request("DELETE", path, client.ip, { editToken: own.editToken }), target: own };
      }
      case "moderate":
        return { label: "", req: null };
      case "cron":
        return { label: `cron ${action.cron}`, req: { cron: action.cron } };
    }
  }

  private ownComment(client: Client) {
    const ids = client.comments ?? [];
    for (let i = ids.length - 1; i >= 0; i -= 1) {
      const comment = this.record.comments.get(ids[i]!);
      if (comment && comment.status !== "deleted") return comment;
    }
    return undefined;
  }

  /** Update the simulation's record from what the Worker answered. */
  private observe({ at, client, action }: SimEvent, status: number, json: any, bytes: number, target?: CommentRecord): void {
    const ok = status >= 200 && status < 300;
    switch (action.kind) {
      case "view":
        if (status === 200) this.record.pageView(action.article, at, json.rating.count, bytes);
        return;
      case "index":
        return;
      case "vote":
        if (ok) this.record.acceptVote(action.article, action.voter, action.rating, at, client.ip);
        return;
      case "retract":
        if (ok) this.record.acceptRetract(action.article, action.voter);
        return;
      case "comment":
        if (status === 201) {
          this.record.comments.set(json.comment.id, { id: json.comment.id, article: action.article, status: json.comment.status, editToken: json.editToken, ownerIp: client.ip });
          (client.comments ??= []).push(json.comment.id);
        }
        return;
      case "owner-comment":
        if (status === 201) this.record.comments.set(json.comment.id, { id: json.comment.id, article: action.article, status: "approved", editToken: "", ownerIp: client.ip });
        return;
      case "edit":
        if (target && ok) target.status = json.comment.status;
        return;
      case "delete-own":
        if (target && ok) target.status = "deleted";
        return;
    }
  }
}

function request(method: string, path: string, ip: string, body?: unknown, admin = false): Request {
  const headers: Record<string, string> = { "CF-Connecting-IP": ip };
  const json = body === undefined ? undefined : JSON.stringify(body);
  if (json !== undefined) headers["Content-Type"] = "application/json";
  // As a browser's fetch() sends it; without it the Worker's body limit has to count the stream.
  if (json !== undefined) headers["Content-Length"] = String(new TextEncoder().encode(json).length);
  if (admin) headers.Authorization = `Bearer ${ADMIN_TOKEN}`;
  return new Request(`${BASE}${path}`, { method, headers, body: json });
}

function parse(body: string): any {
  try {
    return body ? JSON.parse(body) : null;
  } catch {
    return null;
  }
}

/** The Worker logs every cron run and every 500; thousands of lines would bury the report. */
function silenceConsole(): () => void {
  const saved = { log: console.log, warn: console.warn, error: console.error };
  console.log = console.warn = console.error = () => {};
  return () => Object.assign(console, saved);
}
