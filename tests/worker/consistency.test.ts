import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { publicId } from "../../worker/lib/hash";
import { countVotes } from "../../worker/ratings/recount";
import { createScheduledController } from "cloudflare:test";
import { runScheduled } from "../../worker/scheduled";
import { JOB_KEY, type SweepJob } from "../../worker/cron/job";
import { articlePath, call, freshIp, freshVoter, nextSweepTime, postComment, expectRating, readRating, retract, runCron, vote } from "./support/api";
import { countingKv, faultyKv } from "./support/kv";

const MINUTE = 60_000;

function expected(ratings: number[]) {
  const histogram = [0, 0, 0, 0, 0];
  for (const r of ratings) histogram[r - 1]! += 1;
  const sum = ratings.reduce((a, b) => a + b, 0);
  return { count: ratings.length, sum, histogram, average: Math.round((sum / ratings.length) * 100) / 100 };
}

async function corruptAggregate(article: string, histogram: number[], touchedAt: number) {
  const a = await publicId(article);
  await env.PLAUDIT.put(`rating:${a}`, JSON.stringify({ article, histogram, updatedAt: touchedAt }), { metadata: { t: touchedAt, h: histogram } });
}

describe("no vote is ever lost", () => {
  it("200 concurrent voters end in an exact aggregate after the periodic sweep", async () => {
    const ballots = Array.from({ length: 200 }, (_, i) => ({ voter: freshVoter(), rating: (i % 5) + 1, ip: freshIp() }));
    const responses = await Promise.all(ballots.map((b) => vote("stampede", b.voter, b.rating, { ip: b.ip })));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));

    // Concurrent read-modify-writes of the aggregate race; the vote keys do not.
    expect((await countVotes(env.PLAUDIT, await publicId("stampede"), Date.now())).histogram).toEqual([40, 40, 40, 40, 40]);
    await runCron({ sweep: true });
    await expectRating("stampede", expected(ballots.map((b) => b.rating)));
  });

  it("concurrent changes and retracts by the same voters also settle exactly", async () => {
    const voters = Array.from({ length: 20 }, () => ({ voter: freshVoter(), ip: freshIp() }));
    await Promise.all(voters.map((v) => vote("churn", v.voter, 1, { ip: v.ip })));
    await Promise.all(
      voters.map((v, i) => (i % 4 === 0 ? retract("churn", v.voter, { ip: v.ip }) : vote("churn", v.voter, 5, { ip: v.ip }))),
    );
    await runCron({ sweep: true });
    await expectRating("churn", expected(Array(15).fill(5)));
  });

  it("the minute cron recounts articles marked hot; the periodic sweep fixes everything else once settled", async () => {
    const now = Date.now();
    await vote("hot", freshVoter(), 4);
    await vote("hot", freshVoter(), 2);
    await vote("old", freshVoter(), 4);
    await corruptAggregate("old", [9, 0, 0, 0, 0], now - 60 * MINUTE);

    await runCron({ at: now + 2 * MINUTE });
    await expectRating("hot", { count: 2, sum: 6 });
    await expectRating("old", { count: 9 });

    const sweepAt = nextSweepTime(now + 2 * MINUTE);
    // Written seconds before the sweep: the vote behind it may not be listed yet, so it waits.
    await corruptAggregate("just-written", [0, 0, 7, 0, 0], sweepAt - 30_000);
    await runCron({ at: sweepAt });
    await expectRating("old", { count: 1, sum: 4 });
    await expectRating("just-written", { count: 7 });
    await runCron({ at: nextSweepTime(sweepAt + MINUTE) });
    await expectRating("just-written", { count: 0 });
  });

  it("an idle minute costs one bulk read of the cron's state: no list, no write", async () => {
    const later = Date.now() + 10 * MINUTE;
    await runCron({ at: later });
    const metered = countingKv(env.PLAUDIT);
    const report = await runCron({ at: later + MINUTE, env: { PLAUDIT: metered.kv } });
    expect(report.kvOperations).toBe(1);
    expect(metered.counts).toMatchObject({ writes: 0, deletes: 0, lists: 0 });
  });
});

describe("KV cost", () => {
  it("a page view costs at most 2 reads and no writes, however many votes", async () => {
    const metered = countingKv(env.PLAUDIT);
    for (let i = 0; i < 30; i += 1) await vote("cost-view", freshVoter(), (i % 5) + 1);
    metered.reset();
    await call("GET", articlePath("cost-view"), { env: { PLAUDIT: metered.kv } });
    expect(metered.counts.reads).toBeLessThanOrEqual(2);
    expect(metered.counts).toMatchObject({ writes: 0, deletes: 0, lists: 0 });
  });

  it("a vote costs at most 2 writes and no list (first vote, change, retract)", async () => {
    const metered = countingKv(env.PLAUDIT);
    const voter = freshVoter();
    const options = { env: { PLAUDIT: metered.kv } };
    for (const action of [() => vote("cost-vote", voter, 2, options), () => vote("cost-vote", voter, 4, options), () => retract("cost-vote", voter, options)]) {
      metered.reset();
      expect((await action()).status).toBe(200);
      expect(metered.counts.writes + metered.counts.deletes).toBeLessThanOrEqual(2);
      expect(metered.counts.lists).toBe(0);
    }
  });
});

describe("faults", () => {
  // Each KV operation of a first vote, failing in turn: the client sees 503 or 200, never 500,
  // and once the fault clears and the recount runs, the rating is exact.
  for (let failAt = 1; failAt <= 6; failAt += 1) {
    it(`a KV failure at operation ${failAt} of a vote leaves consistent state`, async () => {
      const article = `fault-${failAt}`;
      const keep = freshVoter();
      await vote(article, keep, 5);
      const faulty = faultyKv(env.PLAUDIT, failAt);
      const voter = freshVoter();
      const response = await vote(article, voter, 2, { env: { PLAUDIT: faulty.kv } });
      expect([200, 503]).toContain(response.status);

      await runCron({ sweep: true });
      const rating = await readRating(article);
      if (response.status === 200) expect(rating).toMatchObject({ count: 2, sum: 7 });
      else expect([1, 2]).toContain(rating.count);
      // Whatever happened, the aggregate now equals the vote keys.
      const truth = await countVotes(env.PLAUDIT, await publicId(article), Date.now());
      expect(rating.histogram).toEqual(truth.histogram);
    });
  }
});

describe("the minute cron under its KV budget", () => {
  it("saves how far a sweep too big for one run got, and the next runs finish it", async () => {
    // Aggregates gone wrong an hour ago, on articles spread over the id space.
    const articles = Array.from({ length: 6 }, (_, i) => `budget-sweep-${i}`);
    for (const article of articles) {
      expect((await vote(article, freshVoter(), 4)).status).toBe(200);
      await corruptAggregate(article, [3, 0, 0, 0, 0], Date.now() - 60 * MINUTE);
    }
    let at = nextSweepTime(Date.now() + 2 * MINUTE);
    let runs = 0;
    for (; runs < 300; runs += 1, at += MINUTE) {
      // 12 operations a run: less than sweeping the whole site takes (six lists, six fixes).
      await runScheduled(createScheduledController({ cron: "* * * * *", scheduledTime: at }), env, { sleep: async () => {}, budget: 12 });
      const job = await env.PLAUDIT.get<SweepJob>(JOB_KEY, "json");
      if (job?.queue.length === 0 && job.finishedAt !== undefined) break;
    }
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(300);
    for (const article of articles) await expectRating(article, { count: 1, sum: 4 });
  });

  it("an attention set too big for one run's budget drains over several runs: each saves how far it got", async () => {
    const now = Date.now();
    const articles = Array.from({ length: 12 }, (_, i) => `budget-drain-${i}`);
    const attention: Record<string, unknown> = {};
    for (const article of articles) {
      await vote(article, freshVoter(), 4);
      await corruptAggregate(article, [0, 0, 0, 0, 0], now - 10 * MINUTE);
      const a = await publicId(article);
      attention[`rating:${a}`] = { kind: "rating", a, article, at: now };
    }
    await env.PLAUDIT.put("cron:attention", JSON.stringify(attention));
    const left: number[] = [];
    for (let run = 1; run <= 12 && (left.at(-1) ?? articles.length) > 0; run += 1) {
      const controller = createScheduledController({ cron: "* * * * *", scheduledTime: now + (2 + run) * MINUTE });
      // A budget that holds a few recounts a run, not all twelve.
      await runScheduled(controller, env, { sleep: async () => {}, budget: 20 });
      left.push(Object.keys((await env.PLAUDIT.get<Record<string, unknown>>("cron:attention", "json")) ?? {}).length);
    }
    // Every run got further than the one before (it saved its progress), and the set drained.
    for (let i = 1; i < left.length; i += 1) expect(left[i]).toBeLessThan(left[i - 1]!);
    expect(left[0]).toBeLessThan(articles.length);
    expect(left.at(-1)).toBe(0);
    for (const article of articles) await expectRating(article, { count: 1, sum: 4 });
  });

  it("once KV refuses it for the day's quota, rests quietly until midnight UTC, then goes on", async () => {
    const refusing = (operations: string[]) =>
      new Proxy(env.PLAUDIT, {
        get(target, property) {
          if (typeof property === "string" && operations.includes(property)) return async () => { throw new Error(`KV ${property}() limit exceeded for the day.`); };
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    // A day of its own, far from the other tests' runs.
    const noon = Date.UTC(2031, 0, 1, 12, 1);
    const run = (at: number, kv: KVNamespace) => runScheduled(createScheduledController({ cron: "* * * * *", scheduledTime: at }), { ...env, PLAUDIT: kv }, { sleep: async () => {} });
    const errors = vi.spyOn(console, "error");
    try {
      // Out of reads (the cron's first operation) or, on another day, of writes (its recount's).
      expect((await run(noon, refusing(["get", "getWithMetadata", "list", "put", "delete"]))).resting).toBe(true);
      expect(await run(noon + 30 * MINUTE, refusing(["put", "delete"]))).toMatchObject({ resting: true, kvOperations: 0 });
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
    // After midnight UTC the quota is back: the next run works as usual.
    expect((await run(noon + 12 * 60 * MINUTE, env.PLAUDIT)).resting).toBeUndefined();
  });
});
