import { brotliCompressSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildWidget } from "../../scripts/build.mjs";

/** Budgets in gzip bytes (KiB = 1024 bytes), measured on the real minified bundles. */
const BUDGETS = [
  { entry: "rating.ts", what: "the rating alone (rating.js)", budget: 9 * 1024, contains: ["plaudit-rating", "Click to rate this entry!"] },
  { entry: "embed.ts", what: "ratings and comments (embed.js)", budget: 14 * 1024, contains: ["plaudit-rating", "plaudit-comments", "Leave a Comment"] },
  // Loaded on demand (index pages, JSON-LD snippets), so it carries no Lit: a quarter of rating.js.
  { entry: "count.ts", what: "counts for index pages and rich snippets (count.js)", budget: 3.5 * 1024, contains: ["plaudit-count", "AggregateRating", "[vote|votes]"], lit: false },
];

describe("bundle-size budgets, Lit included", () => {
  it.each(BUDGETS)("$what stays within $budget bytes gzipped", async ({ entry, budget, contains, lit = true }) => {
    const code = await buildWidget(entry);
    const gzip = gzipSync(code, { level: 9 }).length;
    console.log(`${entry}: ${code.length} B raw, ${gzip} B gzip, ${brotliCompressSync(code).length} B brotli (budget ${budget})`);
    expect(gzip).toBeLessThanOrEqual(budget);
    // The bundle really contains the widgets (and Lit, where they use it), not a stub.
    for (const text of [...contains, ...(lit ? ["litElementVersions"] : [])]) expect(code).toContain(text);
  }, 60_000);
});
