import { brotliCompressSync, gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { buildWidget } from "../../scripts/build.mjs";

/** Budgets in gzip bytes (KiB = 1024 bytes), measured on the real minified bundle. */
const RATING_BUDGET = 9 * 1024;

it(`the rating widget, Lit included, stays within ${RATING_BUDGET} bytes gzipped`, async () => {
  const code = await buildWidget("embed.ts");
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code).length;
  console.log(`embed.js: ${code.length} B raw, ${gzip} B gzip, ${brotli} B brotli`);
  expect(gzip).toBeLessThanOrEqual(RATING_BUDGET);
  // The bundle really contains the widget and Lit, not a stub.
  expect(code).toContain("plaudit-rating");
  expect(code).toContain("Click to rate this entry!");
  expect(code).toContain("litElementVersions");
}, 60_000);
