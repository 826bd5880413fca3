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
            miniflare: { bindings: TEST_SECRETS },
          }),
        ],
        test: { name: "worker", include: ["tests/worker/**/*.test.ts"], setupFiles: ["./tests/worker/support/preload-schemas.ts"] },
      },
      {
        // Widget logic and the bundle-size budget, in Node.
        test: { name: "widget", include: ["tests/widget/**/*.test.ts"], environment: "node" },
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
