#!/usr/bin/env node
// Bundle the simulator (which imports the real Worker) with esbuild into a temporary .mjs and run it in Node.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("../..", import.meta.url).pathname;
// Inside the repository, so the bundle resolves wrangler from node_modules.
const outfile = join(root, "bench/sim", `.build-${process.pid}.mjs`);
try {
  await build({
    entryPoints: [join(root, "bench/sim/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    // wrangler is only asked to read wrangler.toml; load it from node_modules as it is.
    external: ["wrangler"],
    // The Worker's Durable Object class extends workerd's base class; Node gets a stand-in.
    alias: { "cloudflare:workers": join(root, "bench/sim/cloudflare-workers.ts") },
    banner: { js: `import { createRequire } from "node:module"; const require = createRequire(${JSON.stringify(join(root, "package.json"))});` },
    logLevel: "warning",
  });
  const { main } = await import(pathToFileURL(outfile).href);
  await main(process.argv.slice(2), root);
} finally {
  rmSync(outfile, { force: true });
}
