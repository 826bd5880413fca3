#!/usr/bin/env node
// `npm run bench`: front-end weight, the Worker's own weight and start-up, server speed on local
// workerd, KV cost per operation and how page-view cost scales. Prints tables and writes
// bench/results/<timestamp>.json. `npm run bench -- weight` (or `frontend`, `server`) runs one part.
import autocannon from "autocannon";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { bundleWorker } from "../scripts/worker-bundle.mjs";

const root = new URL("..", import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
const results = { date: new Date().toISOString(), machine: machine(), seconds: SECONDS, connections: CONNECTIONS };

function machine() {
  return { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

function table(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}

// ---- Front-end weight --------------------------------------------------------------------------
function frontEndWeight() {
  const files = ["embed.js", "rating.js", "count.js", "admin.js", "feedback.js", "details.js", "turnstile.js", "locales/rating/es.json", "locales/comments/es.json"];
  return files.map((file) => {
    const bytes = readFileSync(join(root, "dist", file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
  });
}

// ---- Worker weight and start-up ----------------------------------------------------------------
// What every cold start pays for the Worker's own code, next to a bare Hono Worker with cors and
// etag (bench/baseline/). Both are bundled exactly as `wrangler deploy` would. Each sample imports
// one bundle in a fresh Node process (a new V8 isolate, no module or code cache) and times the
// `import()`: reading, parsing, compiling and running the module's top level, which is what an
// isolate does before it can take its first request. "CPU ms" is the process's CPU time over the
// same span: steadier than wall time on a busy machine. The first request (GET /api/v1/health) is
// timed on its own: it adds what is done lazily, such as Hono building its router. The Workers
// take turns so that load on the machine hits both alike; the table shows medians.
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const WORKERS = [
  { worker: "Plaudit", config: join(root, "wrangler.toml") },
  { worker: "bare Hono + cors + etag", config: join(root, "bench/baseline/wrangler.toml") },
];
// Runs in the fresh process: argv[1] is the bundle, argv[2] the env the handler gets.
// Node loads its fetch classes (undici) on first use, ~100 ms that workerd never pays: done first.
const PROBE = `
const { pathToFileURL } = await import("node:url");
const url = pathToFileURL(process.argv[1]).href;
await new Response(new Request("https://bench.test/", { method: "POST", body: "{}", headers: new Headers() }).body).json();
await crypto.subtle.digest("SHA-256", new TextEncoder().encode("warm"));
const cpu = process.cpuUsage();
const started = performance.now();
const worker = (await import(url)).default;
const evaluated = performance.now();
const { user, system } = process.cpuUsage(cpu);
const context = { waitUntil() {}, passThroughOnException() {} };
const response = await worker.fetch(new Request("https://bench.test/api/v1/health"), JSON.parse(process.argv[2]), context);
await response.arrayBuffer();
const answered = performance.now();
console.log(JSON.stringify({ evaluate: evaluated - started, cpu: (user + system) / 1000, firstRequest: answered - evaluated, status: response.status }));
`;

async function startOnce(file) {
  const env = JSON.stringify({ PLAUDIT: {} });
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", PROBE, file, env], { env: { PATH: process.env.PATH } });
  const sample = JSON.parse(stdout);
  if (sample.status !== 200) throw new Error(`${file} answered GET /api/v1/health with ${sample.status}`);
  return sample;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function workerWeight() {
  const bundles = [];
  try {
    for (const { worker, config } of WORKERS) bundles.push({ worker, ...(await bundleWorker(config)), samples: [] });
    for (const bundle of bundles) await startOnce(bundle.file); // Warm the disk cache, not measured.
    for (let run = 0; run < STARTUP_RUNS; run++) for (const bundle of bundles) bundle.samples.push(await startOnce(bundle.file));
  } finally {
    for (const { dir } of bundles) rmSync(dir, { recursive: true, force: true });
  }
  // Bytes are what a cold start loads: the entry module and its static imports, not the modules
  // loaded with import() on first use, which "all modules" adds.
  const rows = bundles.map(({ worker, raw, gzip, modules, total, samples }) => ({
    worker,
    "raw bytes": raw,
    "gzip bytes": gzip,
    modules,
    "all modules raw bytes": total.raw,
    "start-up ms": Number(median(samples.map((s) => s.evaluate)).toFixed(1)),
    "start-up CPU ms": Number(median(samples.map((s) => s.cpu)).toFixed(1)),
    "first request ms": Number(median(samples.map((s) => s.firstRequest)).toFixed(1)),
  }));
  const [plaudit, bare] = rows;
  const ratio = (key) => Number((plaudit[key] / bare[key]).toFixed(2));
  return { runs: STARTUP_RUNS, rows, ratios: { raw: ratio("raw bytes"), startup: ratio("start-up ms"), startupCpu: ratio("start-up CPU ms") } };
}

// ---- The server ------------------------------------------------------------------------------
async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  return port;
}

async function startWorker() {
  const port = await freePort();
  const persist = mkdtempSync(join(tmpdir(), "plaudit-bench-"));
  const child = spawn(
    process.execPath,
    [join(root, "node_modules/wrangler/bin/wrangler.js"), "dev", "bench/worker.ts", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist,
      "--var", `HASH_SECRET:bench-hash-secret`, "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--log-level", "error"],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return {
    base,
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit");
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

let counter = 0;
const randomIp = () => `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter++ & 255}`;
const voterToken = () => `bench_voter_${counter++}_${Math.random().toString(36).slice(2)}`;
const article = (id) => encodeURIComponent(id);

async function seed(base, id, votes, comments) {
  const response = await fetch(`${base}/__bench/seed?article=${article(id)}&votes=${votes}&comments=${comments}`);
  if (!response.ok) throw new Error(`seeding ${id} failed: ${response.status} ${await response.text()}`);
}

async function kvOps(base, path, init) {
  const response = await fetch(`${base}${path}`, init);
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path} → ${response.status} ${new TextDecoder().decode(body)}`);
  return { ...JSON.parse(response.headers.get("X-KV-Ops")), status: response.status, bytes: body.byteLength };
}

const json = (method, body, extra = {}) => ({ method, headers: { "Content-Type": "application/json", "CF-Connecting-IP": randomIp(), ...extra }, body: JSON.stringify(body) });

// ---- Speed ---------------------------------------------------------------------------------------
function load(base, name, options) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base, connections: CONNECTIONS, duration: SECONDS, ...options }, (error, result) => {
      if (error) return reject(error);
      resolve({
        route: name,
        "req/s": Math.round(result.requests.average),
        "p50 ms": result.latency.p50,
        "p99 ms": result.latency.p99,
        "non-2xx": result.non2xx,
        errors: result.errors,
      });
    });
  });
}

/** An index page's one request for 20 <plaudit-count> elements: the seeded article and 19 others. */
const indexPage = (first) => `/api/v1/articles?${[first, ...Array.from({ length: 19 }, (_, n) => `bench-index-${n}`)].map((id) => `ids=${article(id)}`).join("&")}`;

async function speed(base) {
  await seed(base, "bench-warm", 200, 100);
  const rows = [];
  rows.push(await load(base, "GET /api/v1/health (baseline)", { requests: [{ method: "GET", path: "/api/v1/health" }] }));
  rows.push(await load(base, "GET /api/v1/articles/{a}", { requests: [{ method: "GET", path: `/api/v1/articles/${article("bench-warm")}` }] }));
  rows.push(await load(base, "GET /api/v1/articles?ids=… (20 articles)", { requests: [{ method: "GET", path: indexPage("bench-warm") }] }));
  rows.push(
    await load(base, "PUT /api/v1/articles/{a}/vote", {
      requests: [{ method: "PUT", path: `/api/v1/articles/${article("bench-votes")}/vote`, setupRequest: (request) => ({ ...request, ...json("PUT", { voter: voterToken(), rating: (counter % 5) + 1 }) }) }],
    }),
  );
  rows.push(
    await load(base, "POST /api/v1/articles/{a}/comments", {
      requests: [
        { method: "POST", path: `/api/v1/articles/${article("bench-comments")}/comments`, setupRequest: (request) => ({ ...request, ...json("POST", { author: "Bench", body: `Benchmark comment ${counter++}` }) }) },
      ],
    }),
  );
  // Publishing at once must not slow down as the thread grows: an empty article against a long one.
  // One writer at a time, as one article sees in practice: many at once would measure how local KV
  // serialises writes to the thread's head (production takes one a second; the cron catches up).
  await seed(base, "bench-long-thread", 0, 2000);
  for (const [label, id] of [["empty article", `bench-empty-${Date.now()}`], ["2,000-comment article", "bench-long-thread"]]) {
    rows.push(
      await load(base, `POST …/comments, MODERATION=post, 1 connection, ${label}`, {
        connections: 1,
        requests: [{ method: "POST", path: `/api/v1/articles/${article(id)}/comments`, setupRequest: (request) => ({ ...request, ...json("POST", { author: "Bench", body: `Published benchmark comment ${counter++}` }, { "X-Bench-Env": '{"MODERATION":"post"}' }) }) }],
      }),
    );
  }
  const baseline = rows[0]["req/s"];
  for (const row of rows) row["vs baseline"] = `${((row["req/s"] / baseline) * 100).toFixed(0)} %`;
  return rows;
}

// ---- Posting one after another, against the real write gap --------------------------------------------
/**
 * One connection posting comments published at once to one article, each as soon as the last was
 * answered, for `seconds`: the posting rate, each post's latency, and how long after its answer
 * each comment first shows in the thread (polled every 50 ms). The article's writer runs with
 * KV's real gap between two writes of a key (wrangler dev's default), as deployed.
 */
async function posting(base, seconds = 10) {
  const id = `bench-posting-${Date.now()}`;
  const answered = new Map();
  const latencies = [];
  const seenAfter = [];
  let polling = true;
  const started = Date.now();
  const poll = (async () => {
    while (polling || seenAfter.length < answered.size) {
      // From an address of its own each time: pages of comments count against a client's read allowance.
      const page = await (await fetch(`${base}/api/v1/articles/${article(id)}/comments?order=newest&limit=100`, { headers: { "CF-Connecting-IP": randomIp() } })).json();
      const now = Date.now();
      for (const { id: shown } of page.comments ?? []) {
        const at = answered.get(shown);
        if (at !== undefined && at !== null) {
          seenAfter.push(Math.max(0, now - at));
          answered.set(shown, null);
        }
      }
      if (!polling && Date.now() - started > (seconds + 10) * 1000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  let posts = 0;
  let failed = 0;
  while (Date.now() - started < seconds * 1000) {
    const sent = Date.now();
    const response = await fetch(`${base}/api/v1/articles/${article(id)}/comments`, json("POST", { author: "Bench", body: `Posting-rate comment ${counter++}` }, { "X-Bench-Env": '{"MODERATION":"post"}' }));
    const body = await response.json();
    latencies.push(Date.now() - sent);
    if (response.status === 201) answered.set(body.comment.id, Date.now());
    else failed += 1;
    posts += 1;
  }
  const elapsed = (Date.now() - started) / 1000;
  polling = false;
  await poll;
  const pct = (values, p) => [...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? null;
  return [{ "posts/s": Math.round(posts / elapsed), posts, failed, "p50 ms": pct(latencies, 50), "p99 ms": pct(latencies, 99), "shown p50 ms": pct(seenAfter, 50), "shown p99 ms": pct(seenAfter, 99), "shown max ms": pct(seenAfter, 100), "never shown": [...answered.values()].filter((at) => at !== null).length }];
}

// ---- KV cost per operation ------------------------------------------------------------------------
// Workers KV pricing (per day on the free plan, per million on the paid plan).
const FREE = { reads: 100_000, writes: 1_000, deletes: 1_000, lists: 1_000 };
// Durable Object requests: the Free plan allows 100,000 a day (far more than its KV writes allow);
// the Paid plan $0.15 per million past the included million a month.
const PAID = { reads: 0.5, writes: 5, deletes: 5, lists: 5, objectRequests: 0.15 };

async function cost(base) {
  await seed(base, "bench-cost", 200, 100);
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const voter = voterToken();
  const ip = randomIp();
  const operations = [];
  const record = async (operation, path, init) => operations.push({ operation, ...(await kvOps(base, path, init)) });
  await record("page view (GET article)", `/api/v1/articles/${article("bench-cost")}`);
  await record("index page (GET ?ids=…, 20 articles)", indexPage("bench-cost"));
  await record("vote (new voter)", `/api/v1/articles/${article("bench-cost")}/vote`, json("PUT", { voter, rating: 4 }, { "CF-Connecting-IP": ip }));
  await record("vote changed", `/api/v1/articles/${article("bench-cost")}/vote`, json("PUT", { voter, rating: 2 }, { "CF-Connecting-IP": ip }));
  const posted = await fetch(`${base}/api/v1/articles/${article("bench-cost")}/comments`, json("POST", { author: "Cost", body: "How much does one comment cost?" }));
  operations.push({ operation: "comment post (held for moderation)", ...JSON.parse(posted.headers.get("X-KV-Ops")), status: posted.status });
  const { comment } = await posted.json();
  await record("approval (admin PATCH, 100 comments)", `/api/v1/admin/comments/${article("bench-cost")}/${comment.id}`, json("PATCH", { status: "approved" }, admin));
  const publish = { "X-Bench-Env": '{"MODERATION":"post"}' };
  await record("comment published at once, empty article", `/api/v1/articles/${article(`bench-cost-empty-${Date.now()}`)}/comments`, json("POST", { author: "Cost", body: "The first comment here." }, publish));
  await seed(base, "bench-cost-long", 0, 2000);
  await record("comment published at once, 2,000 comments", `/api/v1/articles/${article("bench-cost-long")}/comments`, json("POST", { author: "Cost", body: "Comment number 2,001." }, publish));
  await record("owner's comment from /admin", `/api/v1/admin/articles/${article("bench-cost")}/comments`, json("POST", { body: "The author answers." }, admin));
  await record("comment post with an email (block list, trust check)", `/api/v1/articles/${article("bench-cost")}/comments`, json("POST", { author: "Cost", email: "cost@example.com", body: "And with an email?" }, { "CF-Connecting-IP": randomIp() }));
  await record("newest-first page (GET comments?order=newest)", `/api/v1/articles/${article("bench-cost")}/comments?order=newest`);
  await record("feedback on a low rating", `/api/v1/articles/${article("bench-cost")}/feedback`, json("POST", { voter, body: "What could be better?" }, { "CF-Connecting-IP": randomIp() }));
  await record("block list saved (admin PUT settings)", "/api/v1/admin/settings", json("PUT", { blockList: { words: ["casino"], emails: [], domains: [], addresses: [] } }, admin));
  await record("search, ~100-comment queue (admin GET ?q=)", "/api/v1/admin/comments?status=approved&q=cost", { headers: admin });
  await record("feedback list (admin)", "/api/v1/admin/feedback", { headers: admin });
  // The vote above asked the cron to verify its tally, and the published comments to rebuild their
  // threads; all were written moments ago, so this run leaves them for a later one.
  await record("minute cron right after (an unverified tally, threads just written)", `/__bench/cron?at=${Date.now()}`);
  await kvOps(base, `/__bench/cron?at=${Date.now() + 10 * 60_000}`); // the article cools down and leaves the set
  await record("minute cron, idle", `/__bench/cron?at=${Date.now() + 11 * 60_000}`);
  // Last, so that the cron rows above are not rebuilding the imported threads.
  // An import batch as `npm run import` sends it: 200 WordPress comments on 20 articles.
  const batch = Array.from({ length: 200 }, (_, i) => JSON.stringify({ type: "comment", source: "wordpress", sourceId: `bench-${i}`, article: `/bench/imported/${i % 20}/`, author: "Imported", body: `Imported comment ${i}, carried over from WordPress.`, createdAt: "2020-01-01T00:00:00Z", status: "approved" }));
  await record("import batch (200 comments, 20 articles)", "/api/v1/admin/import", { method: "POST", headers: { ...admin, "Content-Type": "application/x-ndjson" }, body: batch.join("\n") });
  await record("export, one response (whole bench site)", "/api/v1/admin/export", { headers: admin });
  return operations.map(({ operation, reads, writes, deletes, lists, objectRequests = 0 }) => {
    const perDay = Math.min(...Object.entries({ reads, writes, deletes, lists }).filter(([, n]) => n > 0).map(([kind, n]) => Math.floor(FREE[kind] / n)));
    const perMillion = reads * PAID.reads + writes * PAID.writes + deletes * PAID.deletes + lists * PAID.lists + objectRequests * PAID.objectRequests;
    return { operation, reads, writes, deletes, lists, "write turns (DO requests)": objectRequests, "free plan: per day": perDay, "paid: $ per million": perMillion.toFixed(2) };
  });
}

// ---- Scale: page-view cost as articles grow ----------------------------------------------------------
async function scale(base) {
  const rows = [];
  for (const [votes, comments] of [[10, 10], [1000, 500], [10000, 2000]]) {
    const id = `bench-scale-${votes}-${comments}`;
    const started = Date.now();
    for (let done = 0; done < votes; done += 2000) await seed(base, id, Math.min(2000, votes - done), 0);
    await seed(base, id, 0, comments);
    const ops = await kvOps(base, `/api/v1/articles/${article(id)}`);
    rows.push({ votes, comments, "KV reads": ops.reads, "KV writes": ops.writes, lists: ops.lists, "response bytes": ops.bytes, "seed s": ((Date.now() - started) / 1000).toFixed(1) });
  }
  return rows;
}

// ---- Run ------------------------------------------------------------------------------------------------
// "cost" is the server part without its load tests: the KV operations of each request kind.
const PARTS = ["frontend", "weight", "server", "cost", "posting"];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((part) => !PARTS.includes(part));
if (unknown.length) {
  console.error(`Unknown bench part ${unknown.join(", ")}: choose from ${PARTS.join(", ")} (none runs them all).`);
  process.exit(2);
}
const runs = (part) => chosen.length === 0 || chosen.includes(part);
console.log(`Plaudit benchmark on ${results.machine.cpu} (${results.machine.cores} cores), Node ${results.machine.node}`);

if (runs("frontend")) {
  results.weight = frontEndWeight();
  table("Front-end weight (bytes)", results.weight);
}
if (runs("weight")) {
  results.worker = await workerWeight();
  table(`Worker weight and start-up: deployable bundles, median of ${results.worker.runs} fresh processes`, results.worker.rows);
  const { raw, startup, startupCpu } = results.worker.ratios;
  console.log(`Plaudit vs bare Hono: ${raw}x the bytes, ${startup}x the start-up (${startupCpu}x its CPU time).`);
}
if (runs("server") || chosen.includes("cost") || chosen.includes("posting")) {
  const server = await startWorker();
  try {
    if (runs("posting")) {
      results.posting = await posting(server.base);
      table("Comments posted one after another by one connection (MODERATION=post, KV's real write gap): rate, latency, and time until shown", results.posting);
    }
    if (runs("server")) {
      console.log(`\nServer: ${SECONDS}s per route at ${CONNECTIONS} connections on ${results.machine.cpu} (${results.machine.cores} cores)`);
      results.speed = await speed(server.base);
      table(`Server speed on local workerd (wrangler dev), ${CONNECTIONS} connections, ${SECONDS}s each`, results.speed);
    }
    if (runs("server") || chosen.includes("cost")) {
      results.cost = await cost(server.base);
      table("KV operations per request, and what they cost", results.cost);
      results.scale = await scale(server.base);
      table("Page-view cost as an article grows (must stay flat)", results.scale);
    }
  } finally {
    await server.stop();
  }
}
mkdirSync(join(root, "bench/results"), { recursive: true });
const file = join(root, "bench/results", `${results.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWrote ${file}`);
