#!/usr/bin/env node
// `npm run bench`: front-end weight, server speed on local workerd, KV cost per operation and
// how page-view cost scales. Prints tables and writes bench/results/<timestamp>.json.
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

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
function weight() {
  const files = ["embed.js", "rating.js", "admin.js", "locales/rating/es.json", "locales/comments/es.json"];
  return files.map((file) => {
    const bytes = readFileSync(join(root, "dist", file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
  });
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
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path} → ${response.status}`);
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

async function speed(base) {
  await seed(base, "bench-warm", 200, 100);
  const rows = [];
  rows.push(await load(base, "GET /api/v1/health (baseline)", { requests: [{ method: "GET", path: "/api/v1/health" }] }));
  rows.push(await load(base, "GET /api/v1/articles/{a}", { requests: [{ method: "GET", path: `/api/v1/articles/${article("bench-warm")}` }] }));
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
  const baseline = rows[0]["req/s"];
  for (const row of rows) row["vs baseline"] = `${((row["req/s"] / baseline) * 100).toFixed(0)} %`;
  return rows;
}

// ---- KV cost per operation ------------------------------------------------------------------------
// Workers KV pricing (per day on the free plan, per million on the paid plan).
const FREE = { reads: 100_000, writes: 1_000, deletes: 1_000, lists: 1_000 };
const PAID = { reads: 0.5, writes: 5, deletes: 5, lists: 5 };

async function cost(base) {
  await seed(base, "bench-cost", 200, 100);
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const voter = voterToken();
  const ip = randomIp();
  const operations = [];
  const record = async (operation, path, init) => operations.push({ operation, ...(await kvOps(base, path, init)) });
  await record("page view (GET article)", `/api/v1/articles/${article("bench-cost")}`);
  await record("vote (new voter)", `/api/v1/articles/${article("bench-cost")}/vote`, json("PUT", { voter, rating: 4 }, { "CF-Connecting-IP": ip }));
  await record("vote changed", `/api/v1/articles/${article("bench-cost")}/vote`, json("PUT", { voter, rating: 2 }, { "CF-Connecting-IP": ip }));
  const posted = await fetch(`${base}/api/v1/articles/${article("bench-cost")}/comments`, json("POST", { author: "Cost", body: "How much does one comment cost?" }));
  operations.push({ operation: "comment post (held for moderation)", ...JSON.parse(posted.headers.get("X-KV-Ops")), status: posted.status });
  const { comment } = await posted.json();
  await record("approval (admin PATCH, 100 comments)", `/api/v1/admin/comments/${article("bench-cost")}/${comment.id}`, json("PATCH", { status: "approved" }, admin));
  // The vote above made bench-cost hot: this run recounts it; the next minute finds nothing to do.
  await record("minute cron, one hot article (200 votes)", `/__bench/cron?at=${Date.now()}`);
  await kvOps(base, `/__bench/cron?at=${Date.now() + 10 * 60_000}`); // the article cools down and leaves the set
  await record("minute cron, idle", `/__bench/cron?at=${Date.now() + 11 * 60_000}`);
  return operations.map(({ operation, reads, writes, deletes, lists }) => {
    const perDay = Math.min(...Object.entries({ reads, writes, deletes, lists }).filter(([, n]) => n > 0).map(([kind, n]) => Math.floor(FREE[kind] / n)));
    const perMillion = reads * PAID.reads + writes * PAID.writes + deletes * PAID.deletes + lists * PAID.lists;
    return { operation, reads, writes, deletes, lists, "free plan: per day": perDay, "paid: $ per million": perMillion.toFixed(2) };
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
console.log(`Plaudit benchmark: ${SECONDS}s per route at ${CONNECTIONS} connections on ${results.machine.cpu} (${results.machine.cores} cores)`);
results.weight = weight();
table("Front-end weight (bytes)", results.weight);
const server = await startWorker();
try {
  results.speed = await speed(server.base);
  table(`Server speed on local workerd (wrangler dev), ${CONNECTIONS} connections, ${SECONDS}s each`, results.speed);
  results.cost = await cost(server.base);
  table("KV operations per request, and what they cost", results.cost);
  results.scale = await scale(server.base);
  table("Page-view cost as an article grows (must stay flat)", results.scale);
} finally {
  await server.stop();
}
mkdirSync(join(root, "bench/results"), { recursive: true });
const file = join(root, "bench/results", `${results.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWrote ${file}`);
