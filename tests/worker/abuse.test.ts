import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { call, articlePath, errorCode, freshIp, freshVoter, postComment, expectRating, readRating, retract, runCron, vote } from "./support/api";
import { dumpKv } from "./support/kv";

/** Limiters that never refuse: for tests of the voter cap on its own, apart from the write allowance. */
const never = { limit: async () => ({ success: true }) } as unknown as RateLimit;
const noWriteLimit = { WRITE_LIMITER: never, STEADY_WRITE_LIMITER: never, BUSY_MINUTE_LIMITER: never };

describe("per-network voter cap (VOTERS_PER_IP)", () => {
  afterEach(() => vi.useRealTimers());

  it("lets 5 readers vote from one network within an hour, refuses the 6th with 429 vote_limit", async () => {
    const ip = freshIp();
    const voters = Array.from({ length: 6 }, freshVoter);
    for (const voter of voters.slice(0, 5)) {
      expect((await vote("shared-ip", voter, 4, { ip, env: noWriteLimit })).status).toBe(200);
      await runCron();
    }
    const sixth = await vote("shared-ip", voters[5]!, 4, { ip, env: noWriteLimit });
    expect(sixth.status).toBe(429);
    expect(await errorCode(sixth)).toBe("vote_limit");
    await expectRating("shared-ip", { count: 5 });
  });

  it("holds the cap against a parallel burst of first votes from one network", async () => {
    const ip = freshIp();
    const responses = await Promise.all(Array.from({ length: 8 }, () => vote("shared-ip-burst", freshVoter(), 5, { ip, env: noWriteLimit })));
    const refused = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(5);
    expect(await Promise.all(refused.map(errorCode))).toEqual(["vote_limit", "vote_limit", "vote_limit"]);
    await expectRating("shared-ip-burst", { count: 5 });
  });

  it("expires: readers behind a shared address can vote again an hour later", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
    const ip = freshIp();
    const settings = { env: { VOTERS_PER_IP: "1", ...noWriteLimit }, ip };
    expect((await vote("cap-expiry", freshVoter(), 3, settings)).status).toBe(200);
    vi.setSystemTime(new Date("2026-03-01T12:59:00Z"));
    expect((await vote("cap-expiry", freshVoter(), 3, settings)).status).toBe(429);
    vi.setSystemTime(new Date("2026-03-01T13:00:01Z"));
    expect((await vote("cap-expiry", freshVoter(), 3, settings)).status).toBe(200);
  });

  it("keys IPv6 clients on their /64: another address in the same network is the same reader network", async () => {
    const settings = { env: { VOTERS_PER_IP: "1", ...noWriteLimit } };
    expect((await vote("cap-v6", freshVoter(), 3, { ...settings, ip: "2001:db8:aa:1::1" })).status).toBe(200);
    expect((await vote("cap-v6", freshVoter(), 3, { ...settings, ip: "2001:db8:aa:1:ffff:1:2:3" })).status).toBe(429);
    expect((await vote("cap-v6", freshVoter(), 3, { ...settings, ip: "2001:db8:aa:2::1" })).status).toBe(200);
  });

  it("still lets capped-in voters change their vote, and counts per article", async () => {
    const ip = freshIp();
    const settings = { env: { VOTERS_PER_IP: "2", ...noWriteLimit }, ip };
    const voters = Array.from({ length: 2 }, freshVoter);
    for (const voter of voters) await vote("cap-change", voter, 1, settings);
    expect((await vote("cap-change", voters[0]!, 5, settings)).status).toBe(200);
    expect((await vote("cap-other-article", freshVoter(), 5, settings)).status).toBe(200);
  });
});

describe("write allowance per client network (WRITE_LIMITER binding)", () => {
  it("allows 10 KV writes a minute (5 votes), then 429 rate_limited with Retry-After", async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i += 1) expect((await vote(`burst-${i}`, freshVoter(), 5, { ip })).status).toBe(200);

    const limited = await vote("burst-final", freshVoter(), 5, { ip });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(await errorCode(limited)).toBe("rate_limited");
    const voter = freshVoter();
    expect((await postComment("burst-comments", {}, { ip })).status).toBe(429);

    // Another network is unaffected, and reading is never limited.
    expect((await vote("burst-final", voter, 5, { ip: freshIp() })).status).toBe(200);
    expect((await call("GET", articlePath("burst-final"), { ip })).status).toBe(200);
  });

  it("allows bursts past the steady rate in 4 minutes an hour, then asks the client to wait for the next hour", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const refusing = { limit: async () => ({ success: false }) } as unknown as RateLimit;
    const ip = freshIp();
    // Every write goes past the steady rate: each of these minutes is a busy one.
    const busy = { ip, env: { WRITE_LIMITER: never, STEADY_WRITE_LIMITER: refusing, BUSY_MINUTE_LIMITER: never } };
    for (let minute = 0; minute < 4; minute += 1) {
      vi.setSystemTime(new Date(Date.UTC(2026, 2, 1, 12, minute * 10)));
      expect((await vote(`busy-${minute}`, freshVoter(), 4, busy)).status).toBe(200);
    }
    vi.setSystemTime(new Date(Date.UTC(2026, 2, 1, 12, 50)));
    const refused = await vote("busy-5", freshVoter(), 4, busy);
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe("rate_limited");
    expect(refused.headers.get("Retry-After")).toBe("600");
    // Within the steady rate the client is never busy, whatever the hour looked like.
    expect((await vote("busy-steady", freshVoter(), 4, { ip, env: { WRITE_LIMITER: never, STEADY_WRITE_LIMITER: never } })).status).toBe(200);
    vi.setSystemTime(new Date(Date.UTC(2026, 2, 1, 13, 0, 30)));
    expect((await vote("busy-next-hour", freshVoter(), 4, busy)).status).toBe(200);
    vi.useRealTimers();
  });

  it("counts an IPv6 /64 as one client: rotating addresses inside it gains nothing", async () => {
    const statuses = [];
    for (let host = 1; host <= 7; host += 1) statuses.push((await vote(`v6-burst-${host}`, freshVoter(), 4, { ip: `2001:db8:77:5::${host}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it("a parallel burst of 21 votes from one address gets 5 in: the allowance holds where the cap's read-then-write cannot", async () => {
    const ip = freshIp();
    const responses = await Promise.all(Array.from({ length: 21 }, () => vote("parallel-burst", freshVoter(), 5, { ip })));
    const accepted = responses.filter((response) => response.status === 200).length;
    expect(accepted).toBe(5);
    await runCron({ sweep: true });
    await expectRating("parallel-burst", { count: 5 });
  });
});

describe("privacy", () => {
  it("stores neither client IPs nor voter tokens, in keys, values or metadata", async () => {
    const ips = ["203.0.113.77", "2001:db8::1234", "192.0.2.5"];
    const voters = ips.map(freshVoter);
    for (const [index, ip] of ips.entries()) {
      expect((await vote("privacy", voters[index]!, index + 3, { ip, env: noWriteLimit })).status).toBe(200);
      expect((await vote("privacy", voters[index]!, 2, { ip, env: noWriteLimit })).status).toBe(200);
    }
    expect((await retract("privacy", voters[0]!, { ip: ips[0], env: noWriteLimit })).status).toBe(200);
    const comment = await postComment("privacy", { body: "A comment from a known address." }, { ip: ips[1], env: { MODERATION: "post", ...noWriteLimit } });
    expect(comment.status).toBe(201);
    await runCron({ sweep: true });

    const stored = (await dumpKv(env.PLAUDIT)).join("\n");
    expect(stored).toContain("privacy");
    expect(stored).toContain("A comment from a known address.");
    for (const secret of [...ips, ...voters, TEST_SECRETS.HASH_SECRET]) expect(stored).not.toContain(secret);
  });
});
