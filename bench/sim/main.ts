/**
 * `npm run simulate [-- profile ...] [--fast] [--plan free|paid|unlimited] [--slot ms]`:
 * a simulated day of each profile against the real Worker and a production-like KV.
 * Prints a table and writes bench/results/sim-<ISO time>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../../tests/support/production-kv";
import { readWorkerConfig } from "./config";
import { installFastCrypto } from "./fast-crypto";
import { installFastResponse } from "./fast-response";
import { PROFILES, type ProfileName } from "./profiles";
import { cpuRows, tableRows } from "./report";
import { simulateProfile, type ProfileResult } from "./simulate";

export async function main(argv: string[], root: string): Promise<void> {
  const names = argv.filter((arg) => !arg.startsWith("--") && !/^\d+$/.test(arg) && !["free", "paid", "unlimited"].includes(arg));
  for (const name of names) if (!(PROFILES as readonly string[]).includes(name)) throw new Error(`Unknown profile "${name}". Profiles: ${PROFILES.join(", ")}`);
  const option = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const options = { fast: argv.includes("--fast"), plan: (option("--plan") ?? "free") as Plan, slotMs: Number(option("--slot") ?? 100) };
  const config = await readWorkerConfig(join(root, "wrangler.toml"));
  const restoreCrypto = installFastCrypto();
  const restoreResponse = installFastResponse();
  const results: ProfileResult[] = [];
  for (const name of (names.length ? names : PROFILES) as ProfileName[]) {
    process.stderr.write(`simulating ${name}${options.fast ? " (fast)" : ""}...`);
    const result = await simulateProfile(name, config, options);
    process.stderr.write(` ${result.wallSeconds.total}s\n`);
    results.push(result);
  }
  restoreResponse();
  restoreCrypto();
  console.log(`\nKV per day on the ${options.plan} plan (% of the Free plan's daily quota, refused demand included; $ at Paid prices without / with the included allowance, excluding the $5 subscription)`);
  console.table(tableRows(results));
  console.log("\nCPU per request kind (performance.now() around the handler, requests that ran alone)");
  console.table(cpuRows(results));
  const directory = join(root, "bench", "results");
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `sim-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), options, node: process.version, config, results }, null, 2));
  console.log(`\nWrote ${file}`);
}
