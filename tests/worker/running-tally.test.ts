import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { DUTY_GRACE_MS, RunningTallies, type TallyOutcome, type VoteChange } from "../../worker/coordination/running-tallies";
import { ratingKeys } from "../../worker/ratings/keys";
import { publicId } from "../../worker/lib/hash";
import { admin, expectRating, freshIp, freshVoter, json, kvSettles, retract, runCron, vote } from "./support/api";
import { fixtureKv, productionEnv, productionKv } from "./support/production";
import { countingSlots } from "./support/slots";
import { snapshotTally, writeTally } from "../../worker/ratings/running";
import type { Histogram } from "../../worker/ratings/model";
import { withWriteTurns } from "../../worker/coordination/turns";
import type { WriteSlots } from "../../worker/coordination/write-slots";

/** KV's real gap between two writes of one key, as a deployed Worker uses it (the suites' default is 0). */
const REAL_GAP = { KV_WRITE_GAP_MS: "" };
/** The Worker deployed without its coordinator. */
const NO_COORDINATOR = { WRITE_SLOTS: undefined } as unknown as Partial<Env>;

describe("an article's running tally, kept by its coordinator", () => {
  it("counts a burst of votes one at a time: each answer includes its vote, and page views are exact at once", async () => {
    const kv = productionKv();
    const envAt = () => ({ ...productionEnv(kv), ...REAL_GAP });
    const ratings = [5, 4, 5, 3, 5, 2, 4, 5, 1, 5, 3, 4];
    const responses = await Promise.all(ratings.map((rating) => vote("tally-burst", freshVoter(), rating, { ip: freshIp(), env: envAt() })));
    expect(responses.map((response) => response.status)).toEqual(Array(ratings.length).fill(200));

    const counts = await Promise.all(responses.map(async (response) => (await json(response)).rating.count as number));
    expect(counts.sort((x, y) => x - y)).toEqual(ratings.map((_, i) => i + 1));
    expect(kv.stats().refused.writeRate).toBe(0);
    // No cron run in between: the write at the next turn (made after the answers) carries every vote.
    await expectRating("tally-burst", { count: 12, sum: 46 }, { env: envAt() });
  });

  it("leaves nothing for the cron to list: a busy article's count needs no recount", async () => {
    const kv = productionKv();
    const envAt = () => ({ ...productionEnv(kv), ...REAL_GAP });
    await Promise.all([4, 5, 3, 5].map((rating) => vote("tally-quiet-cron", freshVoter(), rating, { ip: freshIp(), env: envAt() })));
    const listsBefore = kv.stats().total.lists;

    const report = await runCron({ env: productionEnv(kv) });
    expect(report.attention.ratingsRecounted).toBe(0);
    expect(kv.stats().total.lists).toBe(listsBefore);
    await expectRating("tally-quiet-cron", { count: 4, sum: 17 }, { env: envAt() });
  });

  it("counts votes made through a wrapper that counts requests to the coordinator (the bench's)", async () => {
    const slots = countingSlots(env.WRITE_SLOTS);
    const response = await vote("tally-counted", freshVoter(), 4, { ip: freshIp(), env: { WRITE_SLOTS: slots.namespace } });
    expect((await json(response)).rating).toMatchObject({ count: 1, sum: 4 });
    // The vote joined the article's running tally: admitted, then counted there.
    expect(slots.requests()).toBeGreaterThanOrEqual(2);
    const tally = await snapshotTally(withWriteTurns(env.PLAUDIT, env.WRITE_SLOTS), await publicId("tally-counted"));
    expect(tally?.value.histogram).toEqual([0, 0, 0, 1, 0]);
  });

  /** Two votes in one turn: the first written, the second's request holding the duty to write at the next turn. */
  async function leaveDuty(slots: WriteSlots, key: string, article: string, [first, second]: [number, number]) {
    const voteBy = (voter: string, to: number): VoteChange => ({ voter, tag: voter, from: null, to, client: null, article });
    const written = await slots.tally(key, { stored: null, unsure: false }, voteBy("first", first), 1500);
    await env.PLAUDIT.put(key, written.write!.value, { metadata: written.write!.metadata });
    const holder = await slots.tally(key, { stored: null, unsure: false }, voteBy("second", second), 1500);
    expect(holder.flushAt).toBeGreaterThan(0);
    return { lapse: holder.flushAt! + DUTY_GRACE_MS };
  }

  /** The object's alarm fired as if the clock said `at` (the runtime clears a fired alarm first). */
  async function alarmAt(slots: WriteSlots, state: DurableObjectState, at: number) {
    await state.storage.deleteAlarm();
    const clock = vi.spyOn(Date, "now").mockReturnValue(at);
    try {
      await slots.alarm();
    } finally {
      clock.mockRestore();
    }
  }

  /** The object's KV binding with its next put refused with `error`. */
  function refuseNextPut(slots: WriteSlots, error: Error) {
    const put = vi.spyOn((slots as unknown as { env: Env }).env.PLAUDIT, "put").mockRejectedValueOnce(error);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    return { put, restore: () => (put.mockRestore(), warn.mockRestore()) };
  }

  it("writes the tally from the object's alarm when the request holding the duty died before its turn", async () => {
    const a = await publicId("tally-lapsed-duty");
    const key = ratingKeys.aggregate(a);
    await runInDurableObject(env.WRITE_SLOTS.get(env.WRITE_SLOTS.idFromName(a)), async (slots, state) => {
      const { lapse } = await leaveDuty(slots, key, "tally-lapsed-duty", [5, 2]);
      // The holder's request dies with the duty: the alarm is set for when it lapses.
      expect(await state.storage.getAlarm()).toBe(lapse);
      await alarmAt(slots, state, lapse);
    });
    const stored = await env.PLAUDIT.get<{ histogram: number[] }>(key, "json");
    expect(stored?.histogram).toEqual([0, 1, 0, 0, 1]);
  });

  it("tries a lapsed duty's write again when the alarm's own put fails", async () => {
    const a = await publicId("tally-alarm-retry");
    const key = ratingKeys.aggregate(a);
    await runInDurableObject(env.WRITE_SLOTS.get(env.WRITE_SLOTS.idFromName(a)), async (slots, state) => {
      const { lapse } = await leaveDuty(slots, key, "tally-alarm-retry", [3, 5]);
      const refused = refuseNextPut(slots, new Error("KV is unavailable"));
      try {
        await alarmAt(slots, state, lapse);
        expect(refused.put).toHaveBeenCalledTimes(1);
        // Not lost: the alarm is set again, one grace later.
        expect(await state.storage.getAlarm()).toBe(lapse + DUTY_GRACE_MS);
        await alarmAt(slots, state, lapse + DUTY_GRACE_MS);
        expect(refused.put).toHaveBeenCalledTimes(2);
      } finally {
        refused.restore();
      }
    });
    const stored = await env.PLAUDIT.get<{ histogram: number[] }>(key, "json");
    expect(stored?.histogram).toEqual([0, 0, 1, 0, 1]);
  });

  it("stops trying once KV is out of writes for the day: no alarm every 10 s until midnight", async () => {
    const a = await publicId("tally-alarm-quota");
    const key = ratingKeys.aggregate(a);
    await runInDurableObject(env.WRITE_SLOTS.get(env.WRITE_SLOTS.idFromName(a)), async (slots, state) => {
      const { lapse } = await leaveDuty(slots, key, "tally-alarm-quota", [3, 5]);
      const refused = refuseNextPut(slots, new Error("KV put() limit exceeded for the day."));
      try {
        await alarmAt(slots, state, lapse);
        expect(refused.put).toHaveBeenCalledTimes(1);
        expect(await state.storage.getAlarm()).toBeNull();
      } finally {
        refused.restore();
      }
    });
  });

  it("gives a write its request was held up with past its turn back to the object, whose alarm makes it", async () => {
    const a = await publicId("tally-given-back");
    const key = ratingKeys.aggregate(a);
    const kv = withWriteTurns(env.PLAUDIT, env.WRITE_SLOTS, 1500);
    const stub = env.WRITE_SLOTS.get(env.WRITE_SLOTS.idFromName(a));
    const heldUp = (await stub.tally(key, { stored: null, unsure: false }, { voter: "held-up", tag: "held-up", from: null, to: 4, client: null, article: "tally-given-back" }, 1500)) as unknown as TallyOutcome;
    const turn = heldUp.write!.metadata.t;
    // Five seconds past its turn: a later turn may have written a newer count since.
    const clock = vi.spyOn(Date, "now").mockReturnValue(turn + 5_000);
    try {
      // Taken back by the object: nothing for the cron to do.
      expect(await writeTally(kv, a, heldUp)).toBe(true);
      expect(await env.PLAUDIT.get(key)).toBeNull();
      await runInDurableObject(stub, async (slots, state) => {
        expect(await state.storage.getAlarm()).toBe(turn + 5_000);
        await slots.alarm();
      });
    } finally {
      clock.mockRestore();
    }
    const stored = await env.PLAUDIT.get<{ histogram: number[] }>(key, "json");
    expect(stored?.histogram).toEqual([0, 0, 0, 1, 0]);
  });

  it("leaves a late write the object no longer holds the tally of to the cron", async () => {
    const a = await publicId("tally-late-write");
    const kv = withWriteTurns(env.PLAUDIT, env.WRITE_SLOTS, 1500);
    const histogram: Histogram = [1, 0, 0, 0, 0];
    // Booked five seconds ago, by an object that has been restarted since (it holds no such tally).
    const late = { value: JSON.stringify({ article: "tally-late-write", histogram, updatedAt: 1 }), metadata: { t: Date.now() - 5_000, h: histogram }, tally: "before-a-restart" };
    expect(await writeTally(kv, a, { histogram, write: late })).toBe(false);
    expect(await env.PLAUDIT.get(ratingKeys.aggregate(a))).toBeNull();
  });

  it("gives a write KV refused back to the object, whose alarm makes it", async () => {
    const a = await publicId("tally-refused-put");
    const key = ratingKeys.aggregate(a);
    const refusing = { put: () => Promise.reject(new Error("KV PUT failed: 500 Internal Server Error")) } as unknown as KVNamespace;
    const kv = withWriteTurns(refusing, env.WRITE_SLOTS, 1500);
    const stub = env.WRITE_SLOTS.get(env.WRITE_SLOTS.idFromName(a));
    const refused = (await stub.tally(key, { stored: null, unsure: false }, { voter: "refused", tag: "refused", from: null, to: 2, client: null, article: "tally-refused-put" }, 1500)) as unknown as TallyOutcome;
    expect(await writeTally(kv, a, refused)).toBe(true);
    // The object's alarm, set for now, writes it at the key's next turn (1.5 s after the refused one).
    await expect.poll(async () => (await env.PLAUDIT.get<{ histogram: number[] }>(key, "json"))?.histogram, { timeout: 10_000 }).toEqual([0, 1, 0, 0, 0]);
  });

  it("moves a changed vote between stars and takes a retracted one out", async () => {
    const voter = freshVoter();
    await vote("tally-change", freshVoter(), 2);
    await vote("tally-change", voter, 5);
    const changed = await vote("tally-change", voter, 1);
    expect((await json(changed)).rating).toMatchObject({ count: 2, sum: 3, histogram: [1, 1, 0, 0, 0] });
    const retracted = await retract("tally-change", voter);
    expect((await json(retracted)).rating).toMatchObject({ count: 1, sum: 2, histogram: [0, 1, 0, 0, 0] });
    await expectRating("tally-change", { count: 1, sum: 2 });
  });

  it("starts again from zero after an admin reset", async () => {
    for (const stars of [5, 4]) expect((await vote("tally-reset", freshVoter(), stars)).status).toBe(200);
    expect((await admin("DELETE", "/articles/tally-reset/votes")).status).toBe(204);
    const next = await vote("tally-reset", freshVoter(), 2);
    expect((await json(next)).rating).toMatchObject({ count: 1, sum: 2 });
    await expectRating("tally-reset", { count: 1, sum: 2 });
  });

  it("counts votes and earlier votes imported while it runs: the cron recounts the article from its keys", async () => {
    const article = "/tally/imported/";
    for (const stars of [5, 3]) expect((await vote(article, freshVoter(), stars)).status).toBe(200);
    const lines = [
      { type: "vote", source: "plaudit", article, voter: "imported-reader-1", rating: 4, at: new Date(Date.now() - 60_000).toISOString() },
      { type: "earlier", source: "wordpress", article, count: 10, sum: 40 },
    ];
    const imported = await admin("POST", "/import", { raw: lines.map((line) => JSON.stringify(line)).join("\n"), headers: { "Content-Type": "application/x-ndjson" } });
    expect(imported.status).toBe(200);

    await runCron({ at: Date.now() + 3 * 60_000 });
    await expectRating(article, { count: 13, sum: 52 });
    // And the tally goes on from the recount, not from what it held before the import.
    const next = await vote(article, freshVoter(), 1);
    expect((await json(next)).rating).toMatchObject({ count: 14, sum: 53 });
  });

  it("when it began from a read that missed a vote, the cron's recount puts it right and later votes count from there", async () => {
    const a = await publicId("tally-lagging");
    // Minutes after the previous test's cron run (which wrote the attention set), as in production.
    kvSettles();
    // A vote through a Worker without the coordinator writes the aggregate: the article is active,
    // so a tally begun now cannot trust its read...
    expect((await vote("tally-lagging", freshVoter(), 4, { env: NO_COORDINATOR })).status).toBe(200);
    // ...and indeed a vote at another location is stored but not in the aggregate read here.
    await fixtureKv().put(ratingKeys.vote(a, "a-reader-elsewhere"), "", { metadata: { r: 1, t: Date.now() } });
    const second = await vote("tally-lagging", freshVoter(), 5);
    expect((await json(second)).rating).toMatchObject({ count: 2, sum: 9 });
    // The tally asks the cron to verify it (after its write, which may come a turn later).
    await expect.poll(async () => Object.keys((await env.PLAUDIT.get<object>("cron:attention", "json")) ?? {}), { timeout: 5_000 }).toContain(`rating:${a}`);

    const report = await runCron({ at: Date.now() + 3 * 60_000 });
    expect(report.attention.ratingsRecounted).toBe(1);
    await expectRating("tally-lagging", { count: 3, sum: 10 });
    const third = await vote("tally-lagging", freshVoter(), 3);
    expect((await json(third)).rating).toMatchObject({ count: 4, sum: 13 });
  });
});

describe("RunningTallies: who writes the aggregate, and when", () => {
  const change = (voter: string, to: number): VoteChange => ({ voter, tag: voter, from: null, to, client: null, article: "/turns/" });
  /** A turn booking that refuses while `taken` says the key's turn is someone else's. */
  function tallies() {
    const turns = { taken: false, nextFree: 0 };
    const reserve = () => (turns.taken ? null : ((turns.taken = true), (turns.nextFree = Date.now() + 1500), Date.now()));
    return { turns, tallies: new RunningTallies(reserve, () => turns.nextFree) };
  }
  const seed = { stored: null, unsure: false };

  it("hands the first vote the write, the next the duty to write at the next turn, and the rest nothing", () => {
    const { turns, tallies: running } = tallies();
    const first = running.tally("rating:x", seed, change("a", 5), 1500);
    expect(first.write && JSON.parse(first.write.value).histogram).toEqual([0, 0, 0, 0, 1]);
    const second = running.tally("rating:x", seed, change("b", 4), 1500);
    expect(second).toMatchObject({ histogram: [0, 0, 0, 1, 1], flushAt: turns.nextFree });
    expect(second.write).toBeUndefined();
    const third = running.tally("rating:x", seed, change("c", 3), 1500);
    expect(third.write ?? third.flushAt).toBeUndefined();

    // At its turn, the duty holder writes every vote counted meanwhile.
    turns.taken = false;
    const collected = running.collect("rating:x", 5000, 1500);
    expect(typeof collected === "object" && JSON.parse(collected.write.value).histogram).toEqual([0, 0, 1, 1, 1]);
    expect(running.collect("rating:x", 5000, 1500)).toBe("done");
  });

  it("gives the duty to the next vote when its holder never came back for its turn", () => {
    const { turns, tallies: running } = tallies();
    running.tally("rating:w", seed, change("a", 5), 1500);
    const holder = running.tally("rating:w", seed, change("b", 4), 1500);
    expect(holder.flushAt).toBe(turns.nextFree);

    // Within the grace the duty is still the holder's: nobody else is sent to write.
    const clock = vi.spyOn(Date, "now").mockReturnValue(holder.flushAt! + DUTY_GRACE_MS - 1);
    try {
      expect(running.tally("rating:w", seed, change("c", 3), 1500).flushAt).toBeUndefined();
      // The holder died without collecting: past the grace, the next vote takes the duty over...
      clock.mockReturnValue(holder.flushAt! + DUTY_GRACE_MS + 1);
      const heir = running.tally("rating:w", seed, change("d", 2), 1500);
      expect(heir.flushAt).toBe(turns.nextFree);
      // ...and writes every vote the lost duty left behind.
      turns.taken = false;
      const collected = running.collect("rating:w", 5000, 1500);
      expect(typeof collected === "object" && JSON.parse(collected.write.value).histogram).toEqual([0, 1, 1, 1, 1]);
    } finally {
      clock.mockRestore();
    }
  });

  it("hands a duty whose holder never came back to the object's alarm: every vote it held is written", () => {
    const { turns, tallies: running } = tallies();
    running.tally("rating:v", seed, change("a", 5), 1500);
    const holder = running.tally("rating:v", seed, change("b", 3), 1500);
    const lapse = holder.flushAt! + DUTY_GRACE_MS;
    expect(running.nextLapse()).toBe(lapse);
    turns.taken = false;
    // Not before the grace is over: the holder may still come.
    expect(running.takeLapsed(lapse - 1, 5000)).toEqual([]);

    const [lapsed, ...more] = running.takeLapsed(lapse, 5000);
    expect(more).toEqual([]);
    expect(lapsed!.key).toBe("rating:v");
    expect(JSON.parse(lapsed!.write.value).histogram).toEqual([0, 0, 1, 0, 1]);
    expect(running.nextLapse()).toBeNull();
    // The holder coming back after all finds nothing left to write.
    expect(running.collect("rating:v", 5000, 1500)).toBe("done");
  });

  it("takes back a write its request could not make: the next vote is handed the duty to write it", () => {
    const { turns, tallies: running } = tallies();
    const first = running.tally("rating:u", seed, change("a", 5), 1500);
    const retryAt = Date.now() - 1;
    expect(running.unwritten("rating:u", first.write!, retryAt)).toBe(true);
    expect(running.nextLapse()).toBe(retryAt);

    const next = running.tally("rating:u", seed, change("b", 3), 1500);
    expect(next.flushAt).toBe(turns.nextFree);
    turns.taken = false;
    const collected = running.collect("rating:u", 5000, 1500);
    expect(typeof collected === "object" && JSON.parse(collected.write.value).histogram).toEqual([0, 0, 1, 0, 1]);
  });

  it("leaves a write given back to the live duty's holder, who writes it with the rest", () => {
    const { turns, tallies: running } = tallies();
    const first = running.tally("rating:s", seed, change("a", 5), 1500);
    const holder = running.tally("rating:s", seed, change("b", 1), 1500);
    expect(running.unwritten("rating:s", first.write!, Date.now())).toBe(true);
    // The holder's duty is not cut short: the alarm stays for when it would lapse.
    expect(running.nextLapse()).toBe(holder.flushAt! + DUTY_GRACE_MS);
    turns.taken = false;
    const collected = running.collect("rating:s", 5000, 1500);
    expect(typeof collected === "object" && JSON.parse(collected.write.value).histogram).toEqual([1, 0, 0, 0, 1]);
  });

  it("takes back nothing a later turn's write carries, and refuses a write of another tally", () => {
    const { turns, tallies: running } = tallies();
    const clock = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    try {
      const early = running.tally("rating:t", seed, change("a", 5), 1500);
      clock.mockReturnValue(1_001_500);
      turns.taken = false;
      const later = running.tally("rating:t", seed, change("b", 2), 1500);
      expect(later.write!.metadata.t).toBeGreaterThan(early.write!.metadata.t);
      expect(running.unwritten("rating:t", early.write!, 1_001_500)).toBe(true);
      expect(running.snapshot("rating:t")!.dirty).toBe(false);
      expect(running.nextLapse()).toBeNull();

      // A tally begun again since (the object restarted) never counted what that write carried.
      expect(running.unwritten("rating:t", { ...later.write!, tally: "an-earlier-tally" }, 1_001_500)).toBe(false);
      expect(running.unwritten("rating:unknown", later.write!, 1_001_500)).toBe(false);
    } finally {
      clock.mockRestore();
    }
  });

  it("says busy when the turn cannot be had, so the request hands the write to the cron", () => {
    const { turns, tallies: running } = tallies();
    running.tally("rating:y", seed, change("a", 2), 1500);
    running.tally("rating:y", seed, change("b", 2), 1500);
    turns.taken = true;
    expect(running.collect("rating:y", 5000, 1500)).toBe("busy");
    expect(running.snapshot("rating:y")).toMatchObject({ dirty: true, value: { histogram: [0, 2, 0, 0, 0] } });
  });

  it("refuses a recount's correction when a vote came after the recount's snapshot", () => {
    const { turns, tallies: running } = tallies();
    running.tally("rating:z", { stored: null, unsure: true }, change("a", 5), 1500);
    const snapshot = running.snapshot("rating:z")!;
    expect(snapshot.sure).toBe(false);
    turns.taken = false;
    running.tally("rating:z", seed, change("b", 1), 1500);
    const recount = { article: "/turns/", histogram: [0, 0, 0, 0, 1] as [number, number, number, number, number], updatedAt: Date.now() };
    expect(running.correct("rating:z", recount, snapshot.asOf - 1, true, 5000, 1500)).toBeNull();
    expect(running.snapshot("rating:z")!.sure).toBe(false);
  });
});
