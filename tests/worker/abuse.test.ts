import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { call, articlePath, errorCode, freshIp, freshVoter, postComment, readRating, retract, vote } from "./support/api";
import { dumpKv } from "./support/kv";

describe("per-IP voter cap (VOTERS_PER_IP)", () => {
  it("lets 5 readers vote from one IP, refuses the 6th with 429 vote_limit", async () => {
    const ip = freshIp();
    const voters = Array.from({ length: 6 }, freshVoter);
    for (const voter of voters.slice(0, 5)) expect((await vote("shared-ip", voter, 4, { ip })).status).toBe(200);
    const sixth = await vote("shared-ip", voters[5]!, 4, { ip });
    expect(sixth.status).toBe(429);
    expect(await errorCode(sixth)).toBe("vote_limit");
    expect(await readRating("shared-ip")).toMatchObject({ count: 5 });
  });

  it("still lets capped-in voters change their vote, and counts per article", async () => {
    const ip = freshIp();
    const voters = Array.from({ length: 5 }, freshVoter);
    for (const voter of voters) await vote("cap-change", voter, 1, { ip });
    expect((await vote("cap-change", voters[0]!, 5, { ip })).status).toBe(200);
    expect((await vote("cap-other-article", freshVoter(), 5, { ip })).status).toBe(200);
  });

  it("follows the VOTERS_PER_IP setting", async () => {
    const ip = freshIp();
    const settings = { env: { VOTERS_PER_IP: "1" }, ip };
    expect((await vote("cap-setting", freshVoter(), 3, settings)).status).toBe(200);
    expect((await vote("cap-setting", freshVoter(), 3, settings)).status).toBe(429);
  });
});

describe("rate limit on vote writes (VOTE_LIMITER binding)", () => {
  it("allows 10 writes a minute per IP, then 429 rate_limited with Retry-After", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await vote(`burst-${i}`, freshVoter(), 5, { ip })).status);
    expect(statuses).toEqual(Array(10).fill(200));

    const limited = await vote("burst-final", freshVoter(), 5, { ip });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(await errorCode(limited)).toBe("rate_limited");
    expect((await retract("burst-0", freshVoter(), { ip })).status).toBe(429);

    // Another network is unaffected, and reading is never limited.
    expect((await vote("burst-final", freshVoter(), 5, { ip: freshIp() })).status).toBe(200);
    expect((await call("GET", articlePath("burst-final"), { ip })).status).toBe(200);
  });
});

describe("privacy", () => {
  it("stores neither client IPs nor voter tokens, in keys, values or metadata", async () => {
    const ips = ["203.0.113.77", "2001:db8::1234", "192.0.2.5"];
    const voters = ips.map(freshVoter);
    for (const [index, ip] of ips.entries()) {
      await vote("privacy", voters[index]!, index + 3, { ip });
      await vote("privacy", voters[index]!, 2, { ip });
    }
    await retract("privacy", voters[0]!, { ip: ips[0] });
    await postComment("privacy", { body: "A comment from a known address." }, { ip: ips[1], env: { MODERATION: "post" } });

    const stored = (await dumpKv(env.PLAUDIT)).join("\n");
    expect(stored).toContain("privacy");
    expect(stored).toContain("A comment from a known address.");
    for (const secret of [...ips, ...voters, TEST_SECRETS.HASH_SECRET]) expect(stored).not.toContain(secret);
  });
});
