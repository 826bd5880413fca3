// What `npm run deploy` checks and makes before publishing, kept free of I/O so it can be tested.
import { randomBytes } from "node:crypto";

/**
 * Split our own flag (--yes) from wrangler's, and note which environment, config file and
 * --var overrides the deploy will use, so the checks look at the same Worker.
 * @param {string[]} argv
 */
export function parseDeployArgs(argv) {
  /** @type {{ yes: boolean; env?: string; config?: string; vars: Record<string, string>; wranglerArgs: string[] }} */
  const parsed = { yes: false, vars: {}, wranglerArgs: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    if (arg === "--yes" || arg === "-y") {
      parsed.yes = true;
      continue;
    }
    parsed.wranglerArgs.push(arg);
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (!["--env", "-e", "--config", "-c", "--var"].includes(flag)) continue;
    let value = inline;
    if (value === undefined && i + 1 < argv.length) {
      value = /** @type {string} */ (argv[i + 1]);
      parsed.wranglerArgs.push(value);
      i += 1;
    }
    if (value === undefined) continue;
    if (flag === "--env" || flag === "-e") parsed.env = value;
    else if (flag === "--config" || flag === "-c") parsed.config = value;
    else if (value.includes(":")) parsed.vars[value.slice(0, value.indexOf(":"))] = value.slice(value.indexOf(":") + 1);
  }
  return parsed;
}

/**
 * Make sense of `wrangler secret list --format json`.
 * @param {{ status: number | null; stdout: string; stderr: string; error?: Error }} run
 * @returns {{ secrets: Set<string> } | { secrets: null; reason: string }}
 */
export function readSecretList(run) {
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status === 0) {
    try {
      const list = JSON.parse(run.stdout);
      if (Array.isArray(list)) return { secrets: new Set(list.map((secret) => String(secret?.name))) };
    } catch {
      // Fall through: say what wrangler printed instead.
    }
    return { secrets: null, reason: "wrangler printed something other than a list of secrets" };
  }
  // Not deployed yet (Cloudflare API code 10007): certainly no secrets.
  if (/\b10007\b|does not exist/i.test(output)) return { secrets: new Set() };
  if (run.error) return { secrets: null, reason: run.error.message };
  if (/CLOUDFLARE_API_TOKEN|not logged in|wrangler login|authenticat/i.test(output)) {
    return { secrets: null, reason: "wrangler is not logged in (run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN)" };
  }
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|network/i.test(output)) {
    return { secrets: null, reason: "Cloudflare's API could not be reached (no network?)" };
  }
  const lastLine = output.split("\n").map((line) => line.replace(/\x1b\[[0-9;]*m/g, "").trim()).filter(Boolean).at(-1);
  return { secrets: null, reason: lastLine ? `wrangler secret list failed: ${lastLine}` : "wrangler secret list failed" };
}

const ON = new Set(["on", "true", "1", "yes"]);

/**
 * The secrets `npm run deploy` makes itself: whichever of HASH_SECRET and ADMIN_TOKEN the Worker
 * lacks. ADMIN_TOKEN only with a terminal: the owner must see it once, and a CI log is no place for it.
 * @param {{ secretCheck: ReturnType<typeof readSecretList>; interactive: boolean }} input
 * @returns {string[]}
 */
export function secretsToCreate({ secretCheck, interactive }) {
  if (secretCheck.secrets === null) return [];
  const missing = ["HASH_SECRET", "ADMIN_TOKEN"].filter((name) => !secretCheck.secrets?.has(name));
  return interactive ? missing : missing.filter((name) => name !== "ADMIN_TOKEN");
}

/**
 * Everything about to be deployed that a site owner would regret.
 * @param {{ vars: Record<string, unknown>; secretCheck: ReturnType<typeof readSecretList>; creating?: string[] }} input
 * @returns {string[]}
 */
export function deployWarnings({ vars, secretCheck, creating = [] }) {
  const warnings = [];
  const origins = String(vars.ALLOWED_ORIGINS ?? "*").split(",").map((origin) => origin.trim());
  if (origins.includes("*") || origins.every((origin) => origin === "")) {
    warnings.push(
      'ALLOWED_ORIGINS is "*": any website can embed your widget and send votes and comments to it. ' +
        'Set it in wrangler.toml [vars] to your site, e.g. "https://blog.example.com".',
    );
  }
  if (ON.has(String(vars.DEMO_PAGES ?? "").trim().toLowerCase())) {
    warnings.push("DEMO_PAGES is on: the demo article and themes page will be public on your Worker's address.");
  }
  if (secretCheck.secrets === null) {
    warnings.push(
      `Could not check whether ADMIN_TOKEN and HASH_SECRET are set on the deployed Worker: ${secretCheck.reason}. ` +
        "Check with `npx wrangler secret list`.",
    );
    return warnings;
  }
  const lacking = (name) => !secretCheck.secrets?.has(name) && !creating.includes(name);
  if (lacking("HASH_SECRET")) {
    warnings.push("HASH_SECRET is not set on the deployed Worker: votes and comments cannot be saved. Run `npm run deploy` again to create it.");
  }
  if (lacking("ADMIN_TOKEN")) {
    warnings.push(
      "ADMIN_TOKEN is not set on the deployed Worker: /admin and the moderation API stay closed, so held comments can never be " +
        "published. Without a terminal `npm run deploy` does not make one (it would be shown in this log): run it once from a " +
        "terminal, which makes one and shows it to you, or choose your own with `npx wrangler secret put ADMIN_TOKEN`.",
    );
  }
  return warnings;
}

/** A value for a new secret: 256 random bits, in characters that need no quoting in a shell or a URL. */
export function newSecretValue() {
  return randomBytes(32).toString("base64url");
}

/**
 * What the owner sees, once, after `npm run deploy` made their admin token.
 * @param {string} token
 * @param {string[]} target wrangler's --env/--config arguments of this deploy, for the commands shown
 */
export function adminTokenNotice(token, target) {
  const wrangler = (command) => ["npx wrangler", command, ...target].join(" ");
  const rule = "─".repeat(72);
  return [
    "",
    rule,
    "  Your admin token. It is shown this once and kept nowhere else: save it now",
    "  (a password manager). Sign in at /admin on your Worker with it, and give it to",
    "  npm run import / export as --token.",
    "",
    `      ${token}`,
    "",
    "  Lost or leaked? Put a new one in its place, and the old one stops working:",
    `      ${wrangler("secret put ADMIN_TOKEN")}      (type a new long random value)`,
    `  or delete it and deploy again, which makes a new one and shows it here once:`,
    `      ${wrangler("secret delete ADMIN_TOKEN")} && npm run deploy${target.length ? ` -- ${target.join(" ")}` : ""}`,
    rule,
    "",
  ].join("\n");
}

/**
 * Go on, ask, or stop. Without a terminal nobody can answer, so only --yes goes past warnings.
 * @param {{ warnings: string[]; yes: boolean; interactive: boolean }} input
 * @returns {"deploy" | "ask" | "refuse"}
 */
export function decide({ warnings, yes, interactive }) {
  if (warnings.length === 0 || yes) return "deploy";
  return interactive ? "ask" : "refuse";
}
