#!/usr/bin/env node
// `npm run deploy`: look for settings a site owner would regret, ask before going on, create the
// secrets the Worker lacks, then run `wrangler deploy` with the remaining arguments.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { runDeploy } from "./deploy-flow.mjs";

const wranglerBin = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

/** @type {import("./deploy-flow.mjs").Wrangler} */
function wrangler(args, { input, inherit = false } = {}) {
  return new Promise((resolve) => {
    // Piped stdin (never the terminal) for the others: wrangler must fail rather than start an
    // interactive login, and `secret put` reads its value from it.
    const child = spawn(process.execPath, [wranglerBin, ...args], { env, stdio: inherit ? "inherit" : ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    child.stdin?.on("error", () => {}).end(input ?? ""); // a child that died early closed it: its exit says why
    const timer = inherit ? undefined : setTimeout(() => child.kill(), 60_000);
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    child.on("error", (error) => resolve({ status: null, stdout, stderr, error }));
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      process.off("SIGINT", forward).off("SIGTERM", forward);
      resolve({ status: status ?? (signal ? 1 : null), stdout, stderr });
    });
  });
}

async function ask(question) {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

process.exitCode = await runDeploy({
  argv: process.argv.slice(2),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  wrangler,
  readConfig: (args) => {
    const config = unstable_readConfig({ config: args.config, env: args.env });
    return { name: config.name ?? "plaudit", vars: config.vars };
  },
  ask,
  out: console,
});
