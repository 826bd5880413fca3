import { readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundleWorker } from "../../scripts/worker-bundle.mjs";

/**
 * Every module uploaded, in raw bytes (KiB = 1024 bytes). ~75 KB of it is the Unicode confusables
 * data (worker/comments/lookalike.ts), loaded on the first comment post only.
 */
const BUDGET = 240 * 1024;
/**
 * What a cold start loads: the entry module and its static imports. zod and the routes that take a
 * body, the admin API and the cron are loaded with import() on first use; zod or the admin API
 * back in here would break this budget.
 */
const STARTUP_BUDGET = 64 * 1024;

describe("the deployable Worker's size budget", () => {
  it(`loads at most ${STARTUP_BUDGET} bytes at start-up and uploads at most ${BUDGET}, as \`wrangler deploy\` bundles it`, async () => {
    const bundle = await bundleWorker(new URL("../../wrangler.toml", import.meta.url).pathname);
    try {
      const read = (files: string[]) => files.map((file) => readFileSync(file, "utf8")).join("\n");
      const startup = read(bundle.startupFiles);
      const all = read(bundle.files);
      console.log(
        `worker: ${bundle.raw} B raw, ${bundle.gzip} B gzip at start-up (budget ${STARTUP_BUDGET} B raw); ` +
          `${bundle.modules} modules, ${bundle.total.raw} B raw, ${bundle.total.gzip} B gzip in all (budget ${BUDGET} B raw)`,
      );
      // The real Worker, minified as deployed, not an empty shell.
      expect(startup).toContain("storage_unavailable");
      expect(all).toContain("`voter` must be 16 to 64 characters");
      for (const file of bundle.files) expect(readFileSync(file, "utf8").split("\n").length, file).toBeLessThan(50);
      // Loaded on first use only: the body schemas (zod) and the routes that take a body, the admin API.
      expect(startup).not.toContain("`voter` must be 16 to 64 characters");
      expect(startup).not.toContain("reserved_name");
      expect(all).toContain("reserved_name");
      expect(startup).not.toContain("admin_disabled");
      // The confusables data: loaded when a comment is checked, never at start-up nor with a vote.
      const lookalike = bundle.files.filter((file) => /\u0585"?:"o"/.test(readFileSync(file, "utf8")));
      expect(lookalike).toHaveLength(1);
      expect(bundle.startupFiles).not.toContain(lookalike[0]);
      expect(all).toContain("admin_disabled");
      expect(bundle.modules).toBeGreaterThan(1);
      expect(bundle.raw, "the Worker's start-up modules grew past their budget: is something lazy loaded eagerly again?").toBeLessThanOrEqual(STARTUP_BUDGET);
      // Full zod (instead of zod/mini, or `import { z }` defeating tree-shaking) weighs ~800 KB.
      expect(bundle.total.raw, "the Worker grew past its budget: is full zod back?").toBeLessThanOrEqual(BUDGET);
    } finally {
      rmSync(bundle.dir, { recursive: true, force: true });
    }
  }, 60_000);
});
