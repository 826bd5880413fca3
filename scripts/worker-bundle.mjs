// Builds a Worker's deployable bundle with `wrangler deploy --dry-run --outdir`: the code Cloudflare
// would receive, byte for byte. The worker-size test and `npm run bench -- weight` both measure it.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");

/** A TOML file without the named top-level tables (`[name]` up to the next table header). */
function withoutTables(toml, names) {
  const kept = [];
  let skipping = false;
  for (const line of toml.split("\n")) {
    const header = /^\s*\[+\s*([\w.-]+)\s*\]+/.exec(line);
    if (header) skipping = names.includes(header[1]);
    if (!skipping) kept.push(line);
  }
  return kept.join("\n");
}

/**
 * Bundle the Worker a wrangler config describes, as `wrangler deploy` would, and keep it in a
 * temporary directory (`dir`, for the caller to remove). Its `[build]` and `[assets]` tables are
 * dropped: they only produce and upload the widget's static files, which are not part of the
 * Worker's code, and rebuilding dist/ here would pull it from under tests that serve it.
 * @param {string} configPath
 * @returns {Promise<{ file: string, dir: string, raw: number, gzip: number }>}
 */
export async function bundleWorker(configPath) {
  const source = readFileSync(configPath, "utf8");
  const main = /^main\s*=\s*"([^"]+)"/m.exec(source)?.[1];
  if (!main) throw new Error(`${configPath} names no \`main\` entry point`);
  const dir = mkdtempSync(join(tmpdir(), "plaudit-worker-bundle-"));
  try {
    const config = join(dir, "wrangler.toml");
    writeFileSync(config, withoutTables(source, ["build", "assets"]));
    const outdir = join(dir, "out");
    const entry = resolve(dirname(configPath), main);
    await promisify(execFile)(process.execPath, [wrangler, "deploy", entry, "--config", config, "--dry-run", "--outdir", outdir], {
      cwd: dirname(configPath),
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    });
    const name = readdirSync(outdir).find((file) => file.endsWith(".js"));
    if (!name) throw new Error(`wrangler wrote no bundle to ${outdir}`);
    const file = join(outdir, name);
    const code = readFileSync(file);
    // Default gzip level: the "gzip" figure wrangler itself prints on deploy.
    return { file, dir, raw: code.length, gzip: gzipSync(code).length };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
