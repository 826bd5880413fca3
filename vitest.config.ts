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

/** The projects that run together first; the browser suite runs after them. */
const FIRST = { groupOrder: 0 };

/**
 * The worker suites, inside workerd. Miniflare's KV takes any number of writes a second, so there
 * writes need not take turns (the turn tests set the real gap); ProductionKv refuses them as
 * production does (tests/worker/support/production.ts), so there turns keep their real gap.
 */
function workerSuites(name: string, { productionKv }: { productionKv: boolean }) {
  return {
    plugins: [
      cloudflareTest({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: { bindings: { ...TEST_SECRETS, PRODUCTION_KV: productionKv ? "1" : "", KV_WRITE_GAP_MS: productionKv ? "" : "0" } },
      }),
    ],
    // Timeouts catch hangs, not slowness: a busy 2-core machine takes several seconds for the big-site tests.
    test: { name, include: ["tests/worker/**/*.test.ts"], setupFiles: ["./tests/worker/support/preload-schemas.ts"], testTimeout: 30_000, sequence: FIRST },
  };
}

export default defineConfig({
  test: {
    reporters: chromium.path ? ["default"] : ["default", skippedBrowserNotice],
    projects: [
      // The Worker, inside workerd, against the real (miniflare) KV and rate limiter...
      workerSuites("worker", { productionKv: false }),
      // ...and the same suites through ProductionKv (production's limits and consistency), so a
      // test fails where production would.
      workerSuites("worker-production", { productionKv: true }),
      {
        // Widget logic and the bundle-size budget, in Node.
        test: { name: "widget", include: ["tests/widget/**/*.test.ts"], environment: "node", sequence: FIRST },
      },
      {
        // The npm scripts' own logic (deploy checks, finding a browser), in Node.
        test: { name: "tools", include: ["tests/tools/**/*.test.ts"], environment: "node", sequence: FIRST },
      },
      {
        // `npm run simulate`'s --fast profiles: the real Worker on a virtual clock over ProductionKv, in Node.
        // The Worker's Durable Object base class comes from workerd; Node gets the simulator's stand-in.
        resolve: { alias: { "cloudflare:workers": fileURLToPath(new URL("./bench/sim/cloudflare-workers.ts", import.meta.url)) } },
        test: { name: "simulation", include: ["tests/simulation/**/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 900_000, sequence: FIRST },
      },
      // Left out, loudly, on a machine without a browser (see scripts/find-chromium.mjs).
      ...(chromium.path
        ? [
            {
              // Real Chromium against `wrangler dev`, started once for the whole project.
              test: {
                name: "browser",
                // After the other projects, not beside them: on a busy 2-core machine, what a reader sees
                // should wait on the page, not on two workerd suites.
                sequence: { groupOrder: 1 },
                include: ["tests/browser/**/*.test.ts"],
                environment: "node" as const,
                globalSetup: ["tests/browser/support/server.ts"],
                // A test makes several waits of up to 10 s each (below): room for them all on a loaded
                // machine, where one /admin test once took over 30 s. Still catches a hang.
                testTimeout: 60_000,
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
