import { readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundleWorker } from "../../scripts/worker-bundle.mjs";

/** The deployed Worker's budget in raw bytes (KiB = 1024 bytes): what every cold start loads. */
const BUDGET = 150 * 1024;

describe("the deployable Worker's size budget", () => {
  it(`stays within ${BUDGET} bytes, as \`wrangler deploy\` bundles it`, async () => {
    const bundle = await bundleWorker(new URL("../../wrangler.toml", import.meta.url).pathname);
    try {
      const code = readFileSync(bundle.file, "utf8");
      console.log(`worker: ${bundle.raw} B raw, ${bundle.gzip} B gzip (budget ${BUDGET} B raw)`);
      // The real Worker, minified as deployed, not an empty shell.
      expect(code).toContain("storage_unavailable");
      expect(code).toContain("`voter` must be 16 to 64 characters");
      expect(code.split("\n").length).toBeLessThan(50);
      // Full zod (instead of zod/mini, or `import { z }` defeating tree-shaking) weighs ~800 KB.
      expect(bundle.raw, "the Worker bundle grew past its budget: is full zod back?").toBeLessThanOrEqual(BUDGET);
    } finally {
      rmSync(bundle.dir, { recursive: true, force: true });
    }
  }, 60_000);
});
