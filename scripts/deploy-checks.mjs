// What `npm run deploy` checks before publishing, kept free of I/O so it can be tested.

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
 * Everything about to be deployed that a site owner would regret.
 * @param {{ vars: Record<string, unknown>; secretCheck: ReturnType<typeof readSecretList> }} input
 * @returns {string[]}
 */
export function deployWarnings({ vars, secretCheck }) {
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
  } else {
    if (!secretCheck.secrets.has("HASH_SECRET")) {
      warnings.push(
        "HASH_SECRET is not set on the deployed Worker: votes and comments cannot be saved. " +
          "Set it with `openssl rand -base64 32 | npx wrangler secret put HASH_SECRET`.",
      );
    }
    if (!secretCheck.secrets.has("ADMIN_TOKEN")) {
      warnings.push(
        "ADMIN_TOKEN is not set on the deployed Worker: /admin and the moderation API stay closed, so held " +
          "comments can never be published. Set it with `openssl rand -base64 32 | npx wrangler secret put ADMIN_TOKEN`.",
      );
    }
  }
  return warnings;
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
