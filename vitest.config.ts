import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_SECRETS } from "./tests/secrets";


export default defineConfig({
  plugins: [
    cloudflareTest({
      main: "./worker/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: TEST_SECRETS },
    }),
  ],
  test: {
    include: ["tests/worker/**/*.test.ts"],
  },
});
