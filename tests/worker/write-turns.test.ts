import { describe, expect, it } from "vitest";
import { admin, articlePath, call, commentPath, freshIp, freshVoter, json, postComment, expectRating, readRating, runCron, SETTLED_MS, vote } from "./support/api";
import { productionEnv, productionKv } from "./support/production";

/** KV's real gap between two writes of one key, as a deployed Worker uses it (the suites' default is 0). */
const REAL_GAP = { KV_WRITE_GAP_MS: "" };
/** The Worker deployed without its coordinator. */
const NO_COORDINATOR = { WRITE_SLOTS: undefined } as unknown as Partial<Env>;

async function pendingComment(article: string, body: string) {
  const response = await postComment(article, { body }, { env: { MODERATION: "pre" } });
  expect(response.status).toBe(201);
  return (await json(response)).comment.id as string;
}

function approve(article: string, id: string, env: Partial<Env>) {
  return admin("PATCH", commentPath(article, id), { body: { status: "approved" }, env });
}

async function threadBodies(article: string, env: Partial<Env>) {
  const response = await call("GET", articlePath(article), { env });
  return (await json(response)).comments.items.map((item: { body: string }) => item.body).sort();
}

describe("writes to one article's keys take turns (KV takes one write per second per key)", () => {
  it("a moderator approving two comments of one article back to back gets both published", async () => {
    const kv = productionKv();
    const first = await pendingComment("turns-approve", "First of two comments waiting for review.");
    const second = await pendingComment("turns-approve", "Second of two comments waiting for review.");
    const env = () => ({ ...productionEnv(kv), ...REAL_GAP });

    expect((await approve("turns-approve", first, env())).status).toBe(200);
    expect((await approve("turns-approve", second, env())).status).toBe(200);
    expect(kv.stats().refused.writeRate).toBe(0);
    // The article's writer shows the second at the thread's next turn, without the cron.
    await expect.poll(() => threadBodies("turns-approve", env()), { timeout: 5_000 }).toEqual(["First of two comments waiting for review.", "Second of two comments waiting for review."]);
  });

  it("a moderator approving a comment the moment it was posted, then another: the thread is written a turn apart", async () => {
    const kv = productionKv();
    const env = () => ({ ...productionEnv(kv), ...REAL_GAP, MODERATION: "pre" });
    const ids = [];
    for (const body of ["Posted and approved at once.", "Posted a moment later."]) {
      const posted = await postComment("turns-fresh", { body }, { env: env() });
      expect(posted.status).toBe(201);
      ids.push((await json(posted)).comment.id as string);
    }
    // The first approval waits for the comment key its author wrote a moment ago; the thread head's
    // turn must wait with it, or the head is written late and the next approval's write collides.
    for (const id of ids) expect((await approve("turns-fresh", id, env())).status).toBe(200);
    expect(kv.stats().refused.writeRate).toBe(0);
    await expect.poll(() => threadBodies("turns-fresh", env()), { timeout: 5_000 }).toEqual(["Posted a moment later.", "Posted and approved at once."]);
  });

  it("a bulk approval of 20 comments on one article: every approval answers 200 and all show within two turns, with no cron run", async () => {
    const kv = productionKv();
    const ids = [];
    for (let i = 0; i < 20; i += 1) ids.push(await pendingComment("turns-bulk", `Comment number ${i} waiting in the queue.`));
    const env = () => ({ ...productionEnv(kv), ...REAL_GAP });

    const statuses = await Promise.all(ids.map(async (id) => (await approve("turns-bulk", id, env())).status));
    expect(statuses).toEqual(Array(20).fill(200));
    const answered = Date.now();
    // The writer writes the thread once a turn, with every approval that came meanwhile.
    await expect.poll(() => threadBodies("turns-bulk", env()), { timeout: 5_000, interval: 100 }).toHaveLength(20);
    expect(Date.now() - answered).toBeLessThan(2 * 1_500 + 1_000);
    expect(kv.stats().refused.writeRate).toBe(0);
  });

  it("without the writer's binding, a comment answers 503 storage_unavailable with Retry-After, never a 500", async () => {
    const response = await postComment("turns-none", { body: "Nobody to write this down." }, { env: { ARTICLES: undefined } as unknown as Partial<Env> });
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    expect((await json(response)).error.code).toBe("storage_unavailable");
  });

  it("a burst of votes on a quiet article: no KV write refused, and the count is exact a turn later and after the cron", async () => {
    // Its own clock, so the cron can run when KV has settled (its lists show every vote a minute on).
    let later = 0;
    const kv = productionKv({ clock: () => Date.now() + later });
    const ratings = [5, 4, 5, 3, 5, 2, 4, 5, 1, 5];
    const responses = await Promise.all(ratings.map((rating) => vote("turns-burst", freshVoter(), rating, { ip: freshIp(), env: { ...productionEnv(kv), ...REAL_GAP } })));
    expect(responses.map((r) => r.status)).toEqual(Array(ratings.length).fill(200));
    expect(kv.stats().refused.writeRateByFamily).toEqual({});
    // The running tally's write at the next turn (after the answers) carries every vote.
    await expect.poll(() => readRating("turns-burst", { env: productionEnv(kv) }), { timeout: 5_000 }).toMatchObject({ count: 10, sum: 39 });

    later = 3 * 60_000;
    await runCron({ at: Date.now() + later, env: productionEnv(kv) });
    await expectRating("turns-burst", { count: 10, sum: 39 }, { env: productionEnv(kv) });
  });

  it("the same burst without the coordinator has KV refuse aggregate writes (the cron still recovers them)", async () => {
    const kv = productionKv();
    const responses = await Promise.all(Array.from({ length: 10 }, () => vote("turns-burst-none", freshVoter(), 4, { ip: freshIp(), env: { ...productionEnv(kv), ...REAL_GAP, ...NO_COORDINATOR } })));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(kv.stats().refused.writeRateByFamily).toMatchObject({ rating: expect.any(Number) });
  });

  it("a moderator acting on a held comment within a second of its author's edit: both changes land", async () => {
    const kv = productionKv();
    const env = () => ({ ...productionEnv(kv), ...REAL_GAP, MODERATION: "pre" });
    const posted = await postComment("turns-comment", { body: "A first version of this comment." }, { env: env() });
    expect(posted.status).toBe(201);
    const { comment, editToken } = await json(posted);

    // Neither change touches the public thread: only the comment's own key is written twice.
    const edited = await call("PATCH", articlePath("turns-comment", `/comments/${comment.id}`), { env: env(), body: { editToken, body: "A second version of this comment." } });
    expect(edited.status).toBe(200);
    const spammed = await admin("PATCH", commentPath("turns-comment", comment.id), { env: env(), body: { status: "spam" } });
    expect(spammed.status).toBe(200);
    expect((await json(spammed)).comment).toMatchObject({ status: "spam", body: "A second version of this comment." });
    expect(kv.stats().refused.writeRate).toBe(0);
  });

  it("a reader who changes their mind within a second keeps the second choice", async () => {
    const kv = productionKv();
    const voter = freshVoter();
    const ip = freshIp();
    const env = () => ({ ...productionEnv(kv), ...REAL_GAP });
    expect((await vote("turns-mind", voter, 2, { ip, env: env() })).status).toBe(200);
    const changed = await vote("turns-mind", voter, 5, { ip, env: env() });
    expect(changed.status).toBe(200);
    expect((await json(changed)).yours).toBe(5);
    expect(kv.stats().refused.writeRate).toBe(0);
  });
  it("a moderator resetting a rating a moment after a vote: the reset lands, and the rating is empty", async () => {
    const kv = productionKv();
    const env = () => ({ ...productionEnv(kv), ...REAL_GAP });
    expect((await vote("turns-reset", freshVoter(), 5, { env: env() })).status).toBe(200);
    expect((await admin("DELETE", "/articles/turns-reset/votes", { env: env() })).status).toBe(204);
    expect(kv.stats().refused.writeRate).toBe(0);
    await expectRating("turns-reset", { count: 0, sum: 0 }, { env: env() });
  });

  it("a moderator saving the block list twice within a second: both saves land, the second one stays", async () => {
    const kv = productionKv();
    const env = () => ({ ...productionEnv(kv), ...REAL_GAP });
    const empty = { words: [], emails: [], domains: [], addresses: [] };
    const saves = [];
    for (const words of [["casino"], ["casino", "cheap pills"], []]) saves.push(await admin("PUT", "/settings", { body: { blockList: { ...empty, words } }, env: env() }));
    expect(saves.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(kv.stats().refused.writeRate).toBe(0);
    expect((await json(await admin("GET", "/settings", { env: env() }))).blockList).toEqual(empty);
  });

  it("a sweep in the cron run that recounted a hot article leaves its fresh aggregate alone, and finishes", async () => {
    let later = 0;
    const kv = productionKv({ clock: () => Date.now() + later });
    // Back to back, the second and third votes find the aggregate being written: the article goes hot.
    for (const stars of [5, 4, 3]) expect((await vote("turns-sweep", freshVoter(), stars, { env: { ...productionEnv(kv), ...REAL_GAP } })).status).toBe(200);
    later = SETTLED_MS;
    await runCron({ sweep: true, env: productionEnv(kv) });
    // The sweep's list of aggregates still shows the one the first vote wrote; rewriting it would be refused.
    expect(kv.stats().refused.writeRate).toBe(0);
    await expectRating("turns-sweep", { count: 3, sum: 12 }, { env: productionEnv(kv) });
  });
});
