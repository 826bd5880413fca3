import { env } from "cloudflare:workers";
import { afterAll, expect, it } from "vitest";
import { publicId } from "../../worker/lib/hash";
import { countVotes } from "../../worker/ratings/recount";
import { admin, articlePath, call, freshVoter, json, postComment, readRating, runCron, vote } from "./support/api";
import { dumpKv } from "./support/kv";

const ARTICLE = "load-test";
// One address (one IPv6 /64) per reader: each reader's writes stay within their own allowance.
const ips = Array.from({ length: 500 }, (_, i) => `198.18.${i >> 8}.${(i & 255) + 1}`);
const commentIps = Array.from({ length: 50 }, (_, i) => `2001:db8:${(i + 1).toString(16)}::${(i + 7).toString(16)}`);

afterAll(async () => {
  const stored = (await dumpKv(env.PLAUDIT)).join("\n");
  for (const ip of [...ips, ...commentIps]) expect(stored).not.toContain(ip);
});

it("500 concurrent votes and 50 concurrent comments: no 5xx, nothing lost, exact after the sweep", async () => {
  const ballots = Array.from({ length: 500 }, (_, i) => ({ voter: freshVoter(), rating: (i * 7) % 5 + 1, ip: ips[i]! }));
  const settings = { VOTERS_PER_IP: "10", MODERATION: "post" };
  const [votes, comments] = await Promise.all([
    Promise.all(ballots.map((b) => vote(ARTICLE, b.voter, b.rating, { ip: b.ip, env: settings }))),
    Promise.all(commentIps.map((ip, i) => postComment(ARTICLE, { author: `Reader ${i}`, body: `Concurrent comment ${i}` }, { ip, env: settings }))),
  ]);
  const statuses = [...votes, ...comments].map((r) => r.status);
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(votes.map((r) => r.status)).toEqual(Array(500).fill(200));
  expect(comments.map((r) => r.status)).toEqual(Array(50).fill(201));

  // Every acknowledged vote is stored...
  const expected = [0, 0, 0, 0, 0];
  for (const b of ballots) expected[b.rating - 1]! += 1;
  expect((await countVotes(env.PLAUDIT, await publicId(ARTICLE), Date.now())).histogram).toEqual(expected);

  // ...and the materialised aggregate and thread are exact once the cron has run.
  await runCron({ sweep: true });
  const rating = await readRating(ARTICLE);
  expect(rating.histogram).toEqual(expected);
  expect(rating.count).toBe(500);
  const all = await json<{ comments: { body: string }[]; count: number }>(await call("GET", `${articlePath(ARTICLE, "/comments")}?limit=100`));
  expect(all.count).toBe(50);
  expect(new Set(all.comments.map((c) => c.body))).toEqual(new Set(commentIps.map((_, i) => `Concurrent comment ${i}`)));
  const queue = await json<{ comments: unknown[] }>(await admin("GET", `/comments?status=approved&article=${ARTICLE}&limit=100`));
  expect(queue.comments).toHaveLength(50);
}, 60_000);
