/**
 * Vitest global setup for the browser tests: serves the Worker with `wrangler dev` (exactly what
 * `npm start` runs) on a free loopback port, with a fresh on-disk KV and known test secrets.
 * `--test-scheduled` lets a test run the minute cron with `runCron(baseUrl)`.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { TEST_SECRETS } from "../../secrets";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
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

export default async function setup(project: TestProject) {
  const port = await freePort();
  const persist = mkdtempSync(join(tmpdir(), "plaudit-browser-"));
  const vars = Object.entries(TEST_SECRETS).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const wrangler = spawn(
    process.execPath,
    ["node_modules/wrangler/bin/wrangler.js", "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, "--test-scheduled", ...vars],
    { env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  wrangler.stdout.on("data", (chunk) => (output += chunk));
  wrangler.stderr.on("data", (chunk) => (output += chunk));

  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilServing(`${baseUrl}/embed.js`, () => output, Date.now() + 60_000);
  project.provide("baseUrl", baseUrl);

  return async () => {
    wrangler.kill("SIGTERM");
    await once(wrangler, "exit");
    rmSync(persist, { recursive: true, force: true });
  };
}
