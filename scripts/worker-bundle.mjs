// Builds a Worker's deployable bundle with `wrangler deploy --dry-run --outdir`: the code Cloudflare
// would receive, byte for byte. The worker-size test and `npm run bench -- weight` both measure it.
// A Worker of several modules (Plaudit's: `base_dir` in wrangler.toml) is weighed twice: the
// modules a cold start loads (the entry and what it imports statically) and all of them, which
// includes those loaded with import() on first use.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { buildWorker } from "./build-worker.mjs";

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

/** The modules `file` imports statically, transitively, itself included: what loading it loads. */
function staticImports(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, path] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*["'](\.\/[^"']+)["']/g)) staticImports(join(dirname(file), path), seen);
  return seen;
}

/** @param {Iterable<string>} files */
function weigh(files) {
  const code = Buffer.concat([...files].map((file) => readFileSync(file)));
  // Default gzip level: the "gzip" figure wrangler itself prints on deploy.
  return { raw: code.length, gzip: gzipSync(code).length };
}

/**
 * Bundle the Worker a wrangler config describes, as `wrangler deploy` would, and keep it in a
 * temporary directory (`dir`, for the caller to remove). Its `[build]` and `[assets]` tables are
 * dropped: they only produce and upload the widget's static files, which are not part of the
 * Worker's code, and rebuilding dist/ here would pull it from under tests that serve it. A config
 * with a `base_dir` gets its modules built here instead (scripts/build-worker.mjs), in `dir`.
 * `raw` and `gzip` weigh what a cold start loads, `total` every module uploaded.
 * @param {string} configPath
 * @returns {Promise<{ file: string, dir: string, raw: number, gzip: number, startupFiles: string[], files: string[], modules: number, total: { raw: number, gzip: number } }>}
 */
export async function bundleWorker(configPath) {
  let source = readFileSync(configPath, "utf8");
  const main = /^main\s*=\s*"([^"]+)"/m.exec(source)?.[1];
  if (!main) throw new Error(`${configPath} names no \`main\` entry point`);
  const dir = mkdtempSync(join(tmpdir(), "plaudit-worker-bundle-"));
  try {
    let entry = resolve(dirname(configPath), main);
    const baseDir = /^base_dir\s*=\s*"([^"]+)"/m.exec(source)?.[1];
    if (baseDir) {
      const modules = join(dir, "modules");
      await buildWorker(modules);
      entry = join(modules, relative(resolve(dirname(configPath), baseDir), entry));
      source = source.replace(/^base_dir\s*=.*$/m, `base_dir = ${JSON.stringify(modules)}`);
    }
    const config = join(dir, "wrangler.toml");
    writeFileSync(config, withoutTables(source, ["build", "assets"]));
    const outdir = join(dir, "out");
    await promisify(execFile)(process.execPath, [wrangler, "deploy", entry, "--config", config, "--dry-run", "--outdir", outdir], {
      cwd: dirname(configPath),
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    });
    const modules = readdirSync(outdir).filter((file) => file.endsWith(".js"));
    const name = modules.includes("index.js") ? "index.js" : modules[0];
    if (!name) throw new Error(`wrangler wrote no bundle to ${outdir}`);
    const file = join(outdir, name);
    const files = modules.map((module) => join(outdir, module));
    const startupFiles = [...staticImports(file)];
    return { file, dir, ...weigh(startupFiles), startupFiles, files, modules: files.length, total: weigh(files) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
