import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../worker/scheduled";
import { admin, call, freshIp, json } from "./support/api";
import { emptyProductionKv } from "./support/export-pages";

const NDJSON = { "Content-Type": "application/x-ndjson" };
const POSTS = 200;
/** As `npm run import` sends them: at most 200 records, and the comments of at most 40 articles, a batch. */
const ARTICLES_PER_BATCH = 40;

const batchPath = (ids: string[]) => `/api/v1/articles?${ids.map((id) => `ids=${encodeURIComponent(id)}`).join("&")}`;

describe("a big import", () => {
  it(`of ${POSTS} posts (a comment and earlier ratings each): every thread shows as its batch is answered, every rating within 4 cron runs (minutes), none over its KV budget`, async () => {
    let now = Date.now();
    const kv = emptyProductionKv(() => now);
    const articles = Array.from({ length: POSTS }, (_, i) => `/blog/${i}/`);
    const records = articles.flatMap((article, i) => [
      { type: "comment", source: "wordpress", sourceId: `scale-${i}`, article, author: "Reader", body: `The first comment on post ${i}.`, createdAt: "2019-05-01T10:00:00Z", status: "approved" },
      { type: "earlier", source: "wordpress", article, count: 3, sum: 12 },
    ]);
    const perBatch = ARTICLES_PER_BATCH * 2;
    for (let start = 0; start < records.length; start += perBatch) {
      const invocation = kv.invocation({ label: "POST /admin/import" });
      const raw = records.slice(start, start + perBatch).map((record) => JSON.stringify(record)).join("\n");
      const response = await admin("POST", "/import", { raw, headers: NDJSON, env: { PLAUDIT: invocation.kv } });
      expect(response.status).toBe(200);
      expect((await json(response)).rebuild.threads).toBe(0);
      invocation.end();
      now += 1_100;
    }
    const counts = async () => {
      const all = [];
      for (let start = 0; start < articles.length; start += 100) {
        const page = await json(await call("GET", batchPath(articles.slice(start, start + 100)), { ip: freshIp(), env: { PLAUDIT: kv.binding({ label: "index page" }) } }));
        all.push(...page.articles);
      }
      return all as { rating: { count: number }; comments: { count: number } }[];
    };
    // Every thread shows at once: no cron has run.
    expect((await counts()).filter((article) => article.comments.count !== 1)).toEqual([]);

    // Ratings: the minute cron recounts them, saving how far it got each run.
    let runs = 0;
    let maxOps = 0;
    for (; runs < 30; runs += 1) {
      now += 60_000;
      const invocation = kv.invocation({ label: "cron" });
      const report = await runScheduled(createScheduledController({ cron: "* * * * *", scheduledTime: now }), { ...env, PLAUDIT: invocation.kv }, { sleep: async () => {} });
      invocation.end();
      maxOps = Math.max(maxOps, invocation.ops);
      expect(report.kvOperations).toBeLessThanOrEqual(950);
      const left = await kv.binding({ label: "check" }).get<Record<string, unknown>>("cron:attention", "json");
      if (Object.keys(left ?? {}).length === 0) break;
    }
    expect(maxOps).toBeLessThanOrEqual(1_000);
    // Imported votes are recounted once their keys are all listed (90 s), then once each.
    expect(runs + 1).toBeLessThanOrEqual(4);
    expect((await counts()).filter((article) => article.rating.count !== 3)).toEqual([]);
  }, 300_000);
});
