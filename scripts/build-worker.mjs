// Builds the Worker's code into build/worker/: an entry module and the modules it imports only
// with `import()` (zod with the routes that take a body, the admin API, the cron; worker/lazy.ts),
// and the code they share, split by esbuild. wrangler bundles the entry and uploads the others as
// they are (`find_additional_modules` in wrangler.toml), so a cold start parses and compiles only
// what a page view needs; each lazy part is compiled on first use. wrangler's own bundler cannot
// split.
import { build } from "esbuild";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const WORKER_BUILD = `${root}build/worker`;

/**
 * @param {string} outdir
 * @returns {Promise<string[]>} the names of the modules written
 */
export async function buildWorker(outdir = WORKER_BUILD) {
  const result = await build({
    entryPoints: { index: `${root}worker/index.ts` },
    bundle: true,
    splitting: true,
    format: "esm",
    // What wrangler's bundler resolves for workerd.
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    target: "es2024",
    minify: true,
    // As wrangler does by default (`keep_names`): functions and classes keep their `name`.
    keepNames: true,
    legalComments: "none",
    // Kept as UTF-8, not escaped to ASCII: the Unicode confusables data (comments/lookalike.ts) is a third the size.
    charset: "utf8",
    // The prefix is what wrangler.toml's module rule matches: a plain "**/*.js" would also claim
    // every dependency's files in the vitest pool, which reads the same rules.
    chunkNames: "plaudit-[name]-[hash]",
    outdir,
    write: false,
    logLevel: "warning",
  });
  mkdirSync(outdir, { recursive: true });
  const names = result.outputFiles.map((file) => basename(file.path));
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  // Every .js file here is uploaded with the Worker: drop the last build's modules, but keep the
  // directory, which a running `wrangler dev` may be watching.
  for (const name of readdirSync(outdir)) if (!names.includes(name)) rmSync(`${outdir}/${name}`, { recursive: true, force: true });
  return names;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await buildWorker();
  console.log(`Built build/worker/: ${files.length} modules.`);
}
