import { describe, expect, it } from "vitest";
import { articlePath, call, errorCode, freshIp, freshVoter, json, expectRating, readRating, retract, runCron, vote } from "./support/api";

const emptyRating = { count: 0, sum: 0, average: 0, histogram: [0, 0, 0, 0, 0], best: 5 };

describe("GET /api/v1/articles/{article}", () => {
  it("answers an article nobody has rated with an empty rating", async () => {
    const response = await call("GET", articlePath("never-rated"));
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ article: "never-rated", rating: emptyRating, comments: { count: 0, items: [], cursor: null } });
  });

  it("accepts ids with slashes, spaces and any script when URL-encoded", async () => {
    for (const article of ["/2024/05/my-post/", "a post?with=query&chars#x", "日本語の記事", "🙂".repeat(200)]) {
      const voter = freshVoter();
      expect((await vote(article, voter, 3)).status).toBe(200);
      const response = await call("GET", articlePath(article));
      expect(await json(response)).toMatchObject({ article, rating: { count: 1, sum: 3 } });
    }
  });

  it("treats ids that differ only in Unicode normalisation or surrounding spaces as one article", async () => {
    await vote("caf\u00e9", freshVoter(), 5);
    await vote("cafe\u0301", freshVoter(), 3);
    await vote("  caf\u00e9 ", freshVoter(), 4);
    await runCron();
    await expectRating("caf\u00e9", { count: 3, sum: 12 });
    expect(await json(await call("GET", articlePath("cafe\u0301")))).toMatchObject({ article: "caf\u00e9" });
  });

  it("keeps articles apart", async () => {
    await vote("apart-a", freshVoter(), 5);
    expect(await readRating("apart-b")).toEqual(emptyRating);
  });

  it("is cacheable: Cache-Control, an ETag, and 304 for a matching If-None-Match", async () => {
    await vote("etag-article", freshVoter(), 4);
    const first = await call("GET", articlePath("etag-article"));
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=10");
    const tag = first.headers.get("ETag");
    expect(tag).toMatch(/^"[^"]+"$/);

    const again = await call("GET", articlePath("etag-article"), { headers: { "If-None-Match": tag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");

    await vote("etag-article", freshVoter(), 2);
    await runCron();
    // Once the aggregate is written (within a turn of the vote), the old ETag no longer matches.
    const changed = () => call("GET", articlePath("etag-article"), { headers: { "If-None-Match": tag! } });
    await expect.poll(async () => (await changed()).status, { timeout: 5_000 }).toBe(200);
    expect((await changed()).headers.get("ETag")).not.toBe(tag);
  });

  it("takes its max-age from CACHE_MAX_AGE", async () => {
    const response = await call("GET", articlePath("cache-setting"), { env: { CACHE_MAX_AGE: "45" } });
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=45");
  });

  it("rejects ids that are too long or contain control characters", async () => {
    for (const bad of ["x".repeat(201), "tab\there", "nul\u0000", "line\nbreak", "\u007f"]) {
      const response = await call("GET", articlePath(bad));
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(await errorCode(response)).toBe("invalid_article");
    }
    expect((await call("GET", articlePath("x".repeat(200)))).status).toBe(200);
  });
});

// Several votes on one article within a minute make it "hot": the aggregate is then left to the
// minute cron (as in production, where KV takes one write per second per key), so these tests
// run the cron before reading what page views see.
describe("PUT /api/v1/articles/{article}/vote", () => {
  it("counts a vote and returns the new aggregate with the voter's own rating", async () => {
    const response = await vote("first-vote", freshVoter(), 4);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      rating: { count: 1, sum: 4, average: 4, histogram: [0, 0, 0, 1, 0], best: 5 },
      yours: 4,
    });
  });

  it("averages to two decimals", async () => {
    for (const stars of [5, 4, 4]) await vote("average", freshVoter(), stars);
    await runCron();
    await expectRating("average", { count: 3, sum: 13, average: 4.33 });
  });

  it("changes the vote when the same voter votes again: count unchanged, sum adjusted", async () => {
    const voter = freshVoter();
    const ip = freshIp();
    await vote("change", freshVoter(), 5);
    await vote("change", voter, 1, { ip });
    const changed = await json(await vote("change", voter, 3, { ip }));
    expect(changed).toMatchObject({ rating: { count: 2, sum: 8, histogram: [0, 0, 1, 0, 1] }, yours: 3 });
    await runCron();
    await expectRating("change", { count: 2, sum: 8, average: 4 });
  });

  it("treats repeating the same vote as a no-op", async () => {
    const voter = freshVoter();
    await vote("repeat", voter, 2);
    await vote("repeat", voter, 2);
    await expectRating("repeat", { count: 1, sum: 2 });
  });

  it("lets a voter change their vote from another network", async () => {
    const voter = freshVoter();
    await vote("roaming", voter, 2, { ip: freshIp() });
    await vote("roaming", voter, 5, { ip: freshIp() });
    await runCron();
    await expectRating("roaming", { count: 1, sum: 5 });
  });
});

describe("DELETE /api/v1/articles/{article}/vote", () => {
  it("retracts a vote", async () => {
    const voter = freshVoter();
    await vote("retract", freshVoter(), 5);
    await vote("retract", voter, 1);
    const response = await retract("retract", voter);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      rating: { count: 1, sum: 5, average: 5, histogram: [0, 0, 0, 0, 1], best: 5 },
      yours: null,
    });
    await runCron();
    await expectRating("retract", { count: 1, sum: 5 });
  });

  it("answers 404 for a vote that does not exist, and after a retract", async () => {
    const voter = freshVoter();
    const missing = await retract("retract-missing", voter);
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("vote_not_found");

    await vote("retract-missing", voter, 3);
    expect((await retract("retract-missing", voter)).status).toBe(200);
    expect((await retract("retract-missing", voter)).status).toBe(404);
    await runCron();
    // The retract came within a turn of the vote: its aggregate write may follow a moment later.
    await expectRating("retract-missing", emptyRating);
  });

  it("lets a reader vote again after retracting", async () => {
    const voter = freshVoter();
    await vote("revote", voter, 1);
    await retract("revote", voter);
    await vote("revote", voter, 4);
    await runCron();
    await expectRating("revote", { count: 1, sum: 4 });
  });
});
