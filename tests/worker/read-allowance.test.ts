import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetRefusedReaders } from "../../worker/http/read-allowance";
import { articlePath, call, errorCode, freshIp, freshVoter, json, vote } from "./support/api";
import { countingKv } from "./support/kv";

const batchPath = (ids: string[]) => `/api/v1/articles?${ids.map((id) => `ids=${encodeURIComponent(id)}`).join("&")}`;
let counter = 0;
const randomIds = (n: number) => Array.from({ length: n }, () => `/probe/${Date.now()}-${++counter}/`);

/**
 * The limiters count in windows aligned to the minute: a test that must stay inside one waits out
 * the last seconds of the current one first.
 */
async function quietMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(429);
  expect(response.headers.get("Retry-After")).toBe("60");
  expect(await errorCode(response)).toBe("rate_limited");
}

describe("read allowance per client network (READ_LIMITER, EMPTY_VIEW_LIMITER)", () => {
  beforeEach(async () => {
    forgetRefusedReaders();
    await quietMinute();
  }, 10_000);

  it("answers one full batch of 100 random ids a minute, then refuses the next before it reads anything", async () => {
    const ip = freshIp();
    expect((await call("GET", batchPath(randomIds(100)), { ip })).status).toBe(200);
    const metered = countingKv(env.PLAUDIT);
    await expectRefused(await call("GET", batchPath(randomIds(100)), { ip, env: { PLAUDIT: metered.kv } }));
    expect(metered.counts.reads).toBe(0);
    // Another network is unaffected.
    expect((await call("GET", batchPath(randomIds(100)))).status).toBe(200);
  });

  it("charges per 10 ids asked for: ten small index pages a minute, or one big one", async () => {
    const ip = freshIp();
    const statuses = [];
    for (let page = 0; page < 11; page += 1) statuses.push((await call("GET", batchPath(randomIds(page === 0 ? 3 : 10)), { ip })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
  });

  it("never limits page views of articles that have votes or comments, nor charges them", async () => {
    const article = `/read-allowance/rated-${crypto.randomUUID()}/`;
    expect((await vote(article, freshVoter(), 4)).status).toBe(200);
    const ip = freshIp();
    const never = { limit: async () => { throw new Error("an ordinary page view must not call the limiter"); } } as unknown as RateLimit;
    for (let view = 0; view < 60; view += 1) {
      const response = await call("GET", articlePath(article), { ip, env: { EMPTY_VIEW_LIMITER: never, READ_LIMITER: never } });
      expect(response.status).toBe(200);
    }
  });

  it("allows 30 views of empty articles a minute; past that the client is refused before any read", async () => {
    const ip = freshIp();
    for (const id of randomIds(30)) expect((await call("GET", articlePath(id), { ip })).status).toBe(200);
    await expectRefused(await call("GET", articlePath(randomIds(1)[0]!), { ip }));
    const metered = countingKv(env.PLAUDIT);
    // Even a real article waits out the minute: a prober must not keep spending reads on it.
    await expectRefused(await call("GET", articlePath(randomIds(1)[0]!), { ip, env: { PLAUDIT: metered.kv } }));
    expect(metered.counts.reads).toBe(0);
    expect((await call("GET", articlePath(randomIds(1)[0]!))).status).toBe(200);
  });

  it("charges pages of comments past the first: 10 a minute", async () => {
    const ip = freshIp();
    const article = randomIds(1)[0]!;
    const statuses = [];
    for (let page = 0; page < 11; page += 1) statuses.push((await call("GET", articlePath(article, "/comments?cursor=1.0"), { ip })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
  });

  it("counts an IPv6 /64 as one client", async () => {
    expect((await call("GET", batchPath(randomIds(100)), { ip: "2001:db8:5ead:1::1" })).status).toBe(200);
    const refused = await call("GET", batchPath(randomIds(10)), { ip: "2001:db8:5ead:1:abcd::2" });
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.code).toBe("rate_limited");
  });

  it("keeps page views working when the limiter fails", async () => {
    const broken = { limit: async () => { throw new Error("limiter down"); } } as unknown as RateLimit;
    const ip = freshIp();
    for (let i = 0; i < 3; i += 1) expect((await call("GET", batchPath(randomIds(100)), { ip, env: { READ_LIMITER: broken } })).status).toBe(200);
  });
});
