/**
 * Vitest global setup for the browser tests: serves the Worker with `wrangler dev` (exactly what
 * `npm start` runs) on a free loopback port, with a fresh on-disk KV and known test secrets. A
 * second one runs with wrangler.toml's settings alone, as a deployed Worker does. Both take
 * `--test-scheduled`, so a test can run the minute cron with `runCron(baseUrl)`. Their output is
 * kept in $TMPDIR/plaudit-browser-logs/.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { wranglerDevArgs } from "../../../scripts/wrangler-dev.mjs";
import { TEST_SECRETS } from "../../secrets";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** No DEMO_PAGES and no test secrets: what `wrangler deploy` would publish. */
    deployedUrl: string;
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function waitUntilServing(url: string, output: () => string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not start serving ${url}:\n${output()}`);
}

/**
 * wrangler dev's output, request by request with its timing, kept after the run: when a page is
 * slow to load under load, this says whether the Worker or the browser was waiting.
 */
const LOG_DIR = join(tmpdir(), "plaudit-browser-logs");

/**
 * wrangler dev's proxy (ProxyWorker in wrangler 4.86) puts a GET whose hop to the Worker failed
 * back in its retry queue, expecting a reload to drain it, and compares the failed URL (with its
 * path) to the Worker's bare origin, so it takes that branch for any path but "/" even with no
 * reload. The queue is only drained by the next request: under load, a page waited 11 s for its
 * rating and /admin never loaded until the test gave up. A request every second keeps the queue
 * moving; the Worker's own answers are untouched.
 */
const PROXY_KICK_MS = 1_000;
const KICK_PATH = "/api/v1/health";

async function startWrangler({ name, extraArgs = [], ...options }: { name: string; demoPages: boolean; vars: Record<string, string>; extraArgs?: string[] }) {
  const port = await freePort();
  const persistTo = mkdtempSync(join(tmpdir(), "plaudit-browser-"));
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(join(LOG_DIR, `${name}.log`)).on("error", (error) => console.warn(`Cannot keep wrangler dev's log: ${error.message}`));
  const wrangler = spawn(
    process.execPath,
    ["node_modules/wrangler/bin/wrangler.js", ...wranglerDevArgs({ port, persistTo, ...options }), ...extraArgs],
    { env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const record = (chunk: Buffer) => {
    output += chunk;
    const lines = String(chunk).split("\n").filter((line) => !line.includes(`GET ${KICK_PATH} `));
    if (lines.some((line) => line.trim())) log.write(`${new Date().toISOString()} ${lines.join("\n")}`);
  };
  wrangler.stdout.on("data", record);
  wrangler.stderr.on("data", record);

  const url = `http://127.0.0.1:${port}`;
  const kicks = setInterval(() => void fetch(`${url}${KICK_PATH}`).then((response) => response.body?.cancel()).catch(() => {}), PROXY_KICK_MS);
  const stop = async () => {
    clearInterval(kicks);
    if (wrangler.exitCode === null && wrangler.signalCode === null) {
      wrangler.kill("SIGTERM");
      await once(wrangler, "exit");
    }
    log.end();
    rmSync(persistTo, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`${url}/embed.js`, () => output, Date.now() + 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

export default async function setup(project: TestProject) {
  // One after the other: each runs the build command, which rewrites dist/.
  // An empty env file stands in for .dev.vars, so a developer's local settings cannot leak in.
  // One hot recount per cron run, so a test's runCron() returns at once instead of after 45 s.
  const quickCron = { HOT_RECOUNTS_PER_MINUTE: "1" };
  const deployed = await startWrangler({ name: "deployed", demoPages: false, vars: quickCron, extraArgs: ["--env-file", "/dev/null"] });
  const local = await startWrangler({ name: "local", demoPages: true, vars: { ...TEST_SECRETS, ...quickCron } }).catch(async (error) => {
    await deployed.stop();
    throw error;
  });
  project.provide("baseUrl", local.url);
  project.provide("deployedUrl", deployed.url);

  return async () => {
    await Promise.all([local.stop(), deployed.stop()]);
  };
}
