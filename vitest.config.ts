import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_SECRETS } from "./tests/secrets.ts";

export default defineConfig({
  test: {
    projects: [
      {
        // The Worker, inside workerd, against the real (miniflare) KV and rate limiter.
        plugins: [
          cloudflareTest({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            // PRODUCTION_KV=1 runs the worker suites against ProductionKv (tests/worker/support/production.ts).
            miniflare: { bindings: { ...TEST_SECRETS, PRODUCTION_KV: process.env.PRODUCTION_KV ?? "" } },
          }),
        ],
        test: { name: "worker", include: ["tests/worker/**/*.test.ts"] },
      },
      {
        // Widget logic and the bundle-size budget, in Node.
        test: { name: "widget", include: ["tests/widget/**/*.test.ts"], environment: "node" },
      },
      {
        // `npm run simulate`'s --fast profiles: the real Worker on a virtual clock over ProductionKv, in Node.
        test: { name: "simulation", include: ["tests/simulation/**/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 900_000 },
      },
      {
        // Real Chromium against `wrangler dev`, started once for the whole project.
        test: {
          name: "browser",
          include: ["tests/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/browser/support/server.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
