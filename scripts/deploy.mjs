#!/usr/bin/env node
// `npm run deploy`: look for settings a site owner would regret, ask before going on, then run
// `wrangler deploy` with the remaining arguments.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { decide, deployWarnings, parseDeployArgs, readSecretList } from "./deploy-checks.mjs";

const wranglerBin = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

const args = parseDeployArgs(process.argv.slice(2));
const target = [...(args.env ? ["--env", args.env] : []), ...(args.config ? ["--config", args.config] : [])];

const config = unstable_readConfig({ config: args.config, env: args.env });
const vars = { ...config.vars, ...args.vars };

console.log("Checking the deployed Worker's secrets (wrangler secret list)...");
// No terminal on stdin: wrangler must fail rather than start an interactive login.
const listed = spawnSync(process.execPath, [wranglerBin, "secret", "list", "--format", "json", ...target], {
  encoding: "utf8",
  env,
  stdio: ["ignore", "pipe", "pipe"],
  timeout: 60_000,
});
const secretCheck = readSecretList({ status: listed.status, stdout: listed.stdout ?? "", stderr: listed.stderr ?? "", error: listed.error });
const warnings = deployWarnings({ vars, secretCheck });

const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
const decision = decide({ warnings, yes: args.yes, interactive });
if (warnings.length > 0) {
  console.warn(`\n⚠ Before deploying "${config.name}":\n${warnings.map((warning) => `  - ${warning}`).join("\n")}\n`);
}
if (decision === "refuse") {
  console.error("Not deploying. Fix the above, or re-run with `npm run deploy -- --yes` to deploy anyway.");
  process.exit(1);
}
if (decision === "ask") {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question("Deploy anyway? [y/N] ");
  prompt.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.error("Not deploying.");
    process.exit(1);
  }
} else if (warnings.length > 0) {
  console.warn("Deploying anyway (--yes).");
}

const deploy = spawn(process.execPath, [wranglerBin, "deploy", ...args.wranglerArgs], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => deploy.kill(signal));
deploy.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
