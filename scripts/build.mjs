#!/usr/bin/env node
// Builds dist/: the widget bundle (embed.js), language packs and demo pages, which the Worker
// serves as static assets, and the Worker's own modules (build/worker/, scripts/build-worker.mjs).
// `buildWidget` is also what the bundle-size test measures.
import { build } from "esbuild";
import { minifyTemplates } from "esbuild-minify-templates";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { minify } from "terser";
import { checkBuild, stampBuild } from "./build-stamp.mjs";
import { buildWorker } from "./build-worker.mjs";
import { minifyLitCss } from "./minify-lit-css.mjs";
import { withoutLitHooks } from "./lit-hooks.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = `${root}dist`;

/**
 * Bundle an entry point under widget/ into one minified classic script.
 * @returns {Promise<string>} the code
 */
export async function buildWidget(entry = "embed.ts", format = "iife") {
  const result = await build({
    entryPoints: [`${root}widget/${entry}`],
    bundle: true,
    format,
    target: "es2022",
    minify: true,
    legalComments: "none",
    // Private members are spelled `_name`. Lit's internals (`_$…`) are left whole in its own build
    // so that separate copies of Lit on one page can talk; each bundle here holds its one complete
    // copy and nothing outside it reads them, so they shrink too.
    mangleProps: /^_[a-z]|^_\$/,
    write: false,
    outdir: dist,
    logLevel: "warning",
    // Lit's html`` and css`` literals keep their whitespace unless minified separately.
    plugins: [withoutLitHooks(), minifyLitCss(), minifyTemplates({ taggedOnly: true })],
  });
  const code = new TextDecoder().decode(result.outputFiles[0].contents);
  // terser's extra compression passes win a few percent over esbuild alone. The "unsafe" options
  // hold for this code: no getter has side effects, no function is called with `new` but classes,
  // and nothing reads a function's `length`; the browser suites run the result.
  const minified = await minify(code, {
    ecma: 2022,
    module: format === "esm",
    compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true, keep_fargs: false },
    format: { comments: false },
  });
  return minified.code ?? code;
}

/** What a build reads and writes, for telling whether it would change anything (build-stamp.mjs). */
const BUILD = {
  root,
  stampFile: `${root}build/stamp.json`,
  inputs: ["widget", "worker", "scripts", "package-lock.json", "tsconfig.json"],
  outputs: ["dist", "build/worker"],
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { upToDate, inputs } = checkBuild(BUILD);
  if (upToDate) {
    console.log("dist/ and build/worker/ are up to date: nothing to build.");
    process.exit(0);
  }
  // Empty dist/ but keep the directory itself: a running `wrangler dev` watches it and keeps
  // serving from it when another one (npm test beside npm start) rebuilds.
  mkdirSync(dist, { recursive: true });
  for (const entry of readdirSync(dist)) rmSync(`${dist}/${entry}`, { recursive: true, force: true });
  cpSync(`${root}widget/site`, dist, { recursive: true });
  cpSync(`${root}widget/locales`, `${dist}/locales`, { recursive: true });
  for (const entry of ["embed", "rating", "count", "admin"]) writeFileSync(`${dist}/${entry}.js`, await buildWidget(`${entry}.ts`));
  // Loaded on demand by embed.js with import(): ES modules.
  for (const entry of ["turnstile", "feedback", "details"]) writeFileSync(`${dist}/${entry}.js`, await buildWidget(`${entry}.ts`, "esm"));
  console.log("Built dist/: embed.js, rating.js, count.js, admin.js, turnstile.js, feedback.js, details.js, locales/, the demo pages and /admin.");
  const modules = await buildWorker();
  console.log(`Built build/worker/: the Worker, ${modules.length} modules.`);
  stampBuild({ ...BUILD, inputs });
}
