import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import type { Reporter } from "vitest/reporters";
import { browserRequired, browserSkippedMessage, findChromium } from "./scripts/find-chromium.mjs";
import { TEST_SECRETS } from "./tests/secrets.ts";

const chromium = findChromium();
if (!chromium.path && browserRequired()) {
  throw new Error(`PLAUDIT_REQUIRE_BROWSER=1 but the browser suite cannot run: ${chromium.problem ?? "no Chromium or Chrome found"}.`);
}
// Said again after the results, where it cannot scroll out of sight.
const skippedBrowserNotice: Reporter = {
  onTestRunEnd: () => console.warn(`\n${browserSkippedMessage(chromium.problem)}`),
};
if (!chromium.path) console.warn(browserSkippedMessage(chromium.problem));

export default defineConfig({
  test: {
    reporters: chromium.path ? ["default"] : ["default", skippedBrowserNotice],
    projects: [
      {
        // The Worker, inside workerd, against the real (miniflare) KV and rate limiter.
        plugins: [
          cloudflareTest({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            // PRODUCTION_KV=1 runs the worker suites against ProductionKv (tests/worker/support/production.ts).
            // Miniflare's KV takes any number of writes a second, so writes need not take turns (the turn
            // tests set the real gap); ProductionKv refuses them as production does, so turns keep theirs.
            miniflare: { bindings: { ...TEST_SECRETS, PRODUCTION_KV: process.env.PRODUCTION_KV ?? "", KV_WRITE_GAP_MS: process.env.PRODUCTION_KV === "1" ? "" : "0" } },
          }),
        ],
        // Timeouts catch hangs, not slowness: a busy 2-core machine takes several seconds for the big-site tests.
        test: { name: "worker", include: ["tests/worker/**/*.test.ts"], setupFiles: ["./tests/worker/support/preload-schemas.ts"], testTimeout: 30_000 },
      },
      {
        // Widget logic and the bundle-size budget, in Node.
        test: { name: "widget", include: ["tests/widget/**/*.test.ts"], environment: "node" },
      },
      {
        // The npm scripts' own logic (deploy checks, finding a browser), in Node.
        test: { name: "tools", include: ["tests/tools/**/*.test.ts"], environment: "node" },
      },
      {
        // `npm run simulate`'s --fast profiles: the real Worker on a virtual clock over ProductionKv, in Node.
        // The Worker's Durable Object base class comes from workerd; Node gets the simulator's stand-in.
        resolve: { alias: { "cloudflare:workers": fileURLToPath(new URL("./bench/sim/cloudflare-workers.ts", import.meta.url)) } },
        test: { name: "simulation", include: ["tests/simulation/**/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 900_000 },
      },
      // Left out, loudly, on a machine without a browser (see scripts/find-chromium.mjs).
      ...(chromium.path
        ? [
            {
              // Real Chromium against `wrangler dev`, started once for the whole project.
              test: {
                name: "browser",
                include: ["tests/browser/**/*.test.ts"],
                environment: "node" as const,
                globalSetup: ["tests/browser/support/server.ts"],
                testTimeout: 30_000,
                hookTimeout: 60_000,
                // What a reader sees can take seconds on a loaded machine: wait for it, never fail for being slow.
                expect: { poll: { timeout: 10_000, interval: 50 } },
                fileParallelism: false,
                provide: { chromiumPath: chromium.path },
              },
            },
          ]
        : []),
    ],
  },
});
