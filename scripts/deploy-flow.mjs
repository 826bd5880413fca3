// `npm run deploy`'s steps, with wrangler, the terminal and the config passed in, so a test can
// drive them with a fake wrangler (nothing here reaches Cloudflare by itself).
import { adminTokenNotice, decide, deployWarnings, newSecretValue, parseDeployArgs, readSecretList, secretsToCreate } from "./deploy-checks.mjs";

/**
 * @typedef {{ status: number | null; stdout?: string; stderr?: string; error?: Error }} WranglerRun
 * @typedef {(args: string[], options?: { input?: string; inherit?: boolean }) => Promise<WranglerRun>} Wrangler
 */

/** The last line wrangler printed, without colours, to say why a command failed. */
function lastLine(run) {
  const lines = `${run.stdout ?? ""}\n${run.stderr ?? ""}`.split("\n").map((line) => line.replace(/\x1b\[[0-9;]*m/g, "").trim());
  return run.error?.message ?? lines.filter(Boolean).at(-1) ?? `exit code ${run.status}`;
}

/**
 * Check, ask, make the missing secrets, deploy, and show a new admin token once.
 * @param {{
 *   argv: string[];
 *   interactive: boolean;
 *   wrangler: Wrangler;
 *   readConfig: (args: ReturnType<typeof parseDeployArgs>) => { name: string; vars: Record<string, unknown> };
 *   ask: (question: string) => Promise<string>;
 *   out: { log: (text: string) => void; warn: (text: string) => void; error: (text: string) => void };
 * }} io
 * @returns {Promise<number>} the exit code
 */
export async function runDeploy({ argv, interactive, wrangler, readConfig, ask, out }) {
  const args = parseDeployArgs(argv);
  const target = [...(args.env ? ["--env", args.env] : []), ...(args.config ? ["--config", args.config] : [])];
  const config = readConfig(args);
  const vars = { ...config.vars, ...args.vars };

  out.log("Checking the deployed Worker's secrets (wrangler secret list)...");
  const secretCheck = readSecretList(await wrangler(["secret", "list", "--format", "json", ...target]));
  const creating = secretsToCreate({ secretCheck, interactive });
  const warnings = deployWarnings({ vars, secretCheck, creating });

  const decision = decide({ warnings, yes: args.yes, interactive });
  if (warnings.length > 0) {
    out.warn(`\n⚠ Before deploying "${config.name}":\n${warnings.map((warning) => `  - ${warning}`).join("\n")}\n`);
  }
  if (decision === "refuse") {
    out.error("Not deploying. Fix the above, or re-run with `npm run deploy -- --yes` to deploy anyway.");
    return 1;
  }
  if (decision === "ask" && !/^y(es)?$/i.test((await ask("Deploy anyway? [y/N] ")).trim())) {
    out.error("Not deploying.");
    return 1;
  }
  if (decision === "deploy" && warnings.length > 0) out.warn("Deploying anyway (--yes).");

  /** @type {string | undefined} */
  let adminToken;
  let shown = false;
  const showToken = () => {
    if (adminToken === undefined || shown) return;
    shown = true;
    out.log(adminTokenNotice(adminToken, target));
  };
  for (const name of creating) {
    const value = newSecretValue();
    // The value goes on stdin: never on a command line (visible to other users) nor in a file.
    const put = await wrangler(["secret", "put", name, ...target], { input: value });
    if (put.status !== 0) {
      out.error(`Could not create ${name} on the Worker: ${lastLine(put)}. Not deploying; run \`npm run deploy\` again.`);
      showToken();
      return 1;
    }
    if (name === "ADMIN_TOKEN") {
      adminToken = value;
      out.log("Created ADMIN_TOKEN, the password of /admin: it is shown once the deploy is done.");
    } else {
      out.log(`Created ${name} (a random key, never shown; keep it: a new one makes every reader a new voter).`);
    }
  }

  const deployed = await wrangler(["deploy", ...args.wranglerArgs], { inherit: true });
  // Shown after wrangler's output, whatever its outcome: the token is set either way.
  showToken();
  return deployed.status ?? 1;
}
