import { describe, expect, it } from "vitest";
import { publicId } from "../../worker/lib/hash";
import { admin, articlePath, call, freshVoter, json, kvSettles, expectRating, readRating, runCron, vote } from "./support/api";
import { fixtureKv } from "./support/production";

const NDJSON = { "Content-Type": "application/x-ndjson" };

async function importEarlier(article: string, count: number, sum: number, fields: Record<string, unknown> = {}) {
  const response = await admin("POST", "/import", { raw: JSON.stringify({ type: "earlier", source: "wordpress", article, count, sum, ...fields }), headers: NDJSON });
  expect(response.status).toBe(200);
  return (await json(response)) as { written: { earlier: number }; existing: number };
}

async function exportedEarlier(article: string) {
  const text = await (await admin("GET", "/export")).text();
  return text.trim().split("\n").map((line) => JSON.parse(line)).filter((record) => record.type === "earlier" && record.article === article);
}

describe("imported ratings as earlier votes", () => {
  it("count in count, sum and average (not the histogram), through votes, recounts and sweeps", async () => {
    const article = "/earlier/kept/";
    await importEarlier(article, 12, 52);
    await runCron();
    const page = await json(await call("GET", articlePath(article)));
    expect(page.rating).toEqual({ count: 12, sum: 52, average: 4.33, histogram: [0, 0, 0, 0, 0], best: 5, earlier: { count: 12, sum: 52 } });

    const voted = await json(await vote(article, freshVoter(), 5));
    expect(voted.rating).toMatchObject({ count: 13, sum: 57, histogram: [0, 0, 0, 0, 1], earlier: { count: 12, sum: 52 } });
    await runCron({ sweep: true });
    await expectRating(article, { count: 13, sum: 57, average: 4.38 });
    // The ratings list reads the aggregates' list metadata, a minute behind the sweep.
    kvSettles();
    const listed = await json(await admin("GET", "/ratings?sort=recent&limit=100"));
    expect(listed.ratings.find((entry: { article: string }) => entry.article === article).rating).toMatchObject({ count: 13, earlier: { count: 12, sum: 52 } });
    expect(await exportedEarlier(article)).toEqual([expect.objectContaining({ count: 12, sum: 52 })]);
    // An index page's counts include them too.
    const batch = await json(await call("GET", `/api/v1/articles?ids=${encodeURIComponent(article)}`));
    expect(batch.articles).toEqual([{ rating: { count: 13, average: 4.38, best: 5 }, comments: { count: 0 } }]);
  });

  it("are put back by the sweep when a write elsewhere clobbered the aggregate without them", async () => {
    const article = "/earlier/healed/";
    await importEarlier(article, 3, 11);
    await runCron();
    await expectRating(article, { count: 3, sum: 11 });
    const a = await publicId(article);
    const old = Date.now() - 10 * 60_000;
    await fixtureKv().put(`rating:${a}`, JSON.stringify({ article, histogram: [0, 0, 0, 0, 0], updatedAt: old }), { metadata: { t: old, h: [0, 0, 0, 0, 0] } });
    await expectRating(article, { count: 0 });
    await runCron({ sweep: true });
    await expectRating(article, { count: 3, sum: 11, earlier: { count: 3, sum: 11 } });
  });

  it("are cleared by a reset, and importing the same totals again does not bring them back", async () => {
    const article = "/earlier/reset/";
    await importEarlier(article, 4, 18);
    await runCron();
    await expectRating(article, { count: 4 });
    // A while after the cron's recount (KV takes one write a second of the aggregate).
    kvSettles();
    expect((await admin("DELETE", `/articles/${encodeURIComponent(article)}/votes`)).status).toBe(204);
    const after = await readRating(article);
    expect(after).toMatchObject({ count: 0, sum: 0 });
    expect(after).not.toHaveProperty("earlier");
    expect(await importEarlier(article, 4, 18)).toMatchObject({ written: { earlier: 0 }, existing: 1 });
    await runCron({ sweep: true });
    await expectRating(article, { count: 0, sum: 0 });
    expect(await exportedEarlier(article)).toEqual([]);
  });

  it("dated in the future are cleared by a reset all the same, and stay cleared", async () => {
    const article = "/earlier/from-the-future/";
    await importEarlier(article, 5, 20, { at: "9999-12-31T00:00:00Z" });
    await runCron();
    await expectRating(article, { count: 5 });
    kvSettles();
    expect((await admin("DELETE", `/articles/${encodeURIComponent(article)}/votes`)).status).toBe(204);
    await runCron({ sweep: true });
    await expectRating(article, { count: 0, sum: 0 });
    expect(await exportedEarlier(article)).toEqual([]);
  });

  it("leave an article without any out of the response", async () => {
    await vote("/earlier/none/", freshVoter(), 4);
    expect(await readRating("/earlier/none/")).not.toHaveProperty("earlier");
  });
});
