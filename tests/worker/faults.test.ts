import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { publicId } from "../../worker/lib/hash";
import { commentKeys } from "../../worker/comments/keys";
import type { StoredComment } from "../../worker/comments/model";
import { admin, articlePath, call, commentPath, errorCode, json, kvSettles, postComment } from "./support/api";
import { faultyKv } from "./support/kv";
import { defaultBinding } from "./support/production";

type Thread = { comments: { count: number; items: { id: string }[] } };

async function storedComments(article: string): Promise<StoredComment[]> {
  const a = await publicId(article);
  const { keys } = await env.PLAUDIT.list({ prefix: commentKeys.commentPrefix(a) });
  return Promise.all(keys.map(async (key) => (await env.PLAUDIT.get<StoredComment>(key.name, "json"))!));
}

/**
 * The public thread lists exactly the approved comments: at once, or once the article's writer has
 * tried again a thread write that KV refused (it does within seconds, without the cron).
 */
async function expectThreadConsistent(article: string) {
  const approved = (await storedComments(article)).filter((c) => c.status === "approved").map((c) => c.id).sort();
  const shown = async () => {
    const thread = await json<Thread>(await call("GET", articlePath(article)));
    return { ids: thread.comments.items.map((c) => c.id).sort(), count: thread.comments.count };
  };
  await expect.poll(shown, { timeout: 5_000 }).toEqual({ ids: approved, count: approved.length });
}

// Enough to cover every KV operation of each request (a failure past the last one never fires).
const OPERATIONS = 10;

describe("a KV failure at each operation", () => {
  for (let failAt = 1; failAt <= OPERATIONS; failAt += 1) {
    it(`of a published comment post (operation ${failAt}): 503 or 201, and an acknowledged comment is never lost`, async () => {
      const article = `fault-post-${failAt}`;
      const faulty = faultyKv(defaultBinding(), failAt);
      const response = await postComment(article, { body: `fault ${failAt}` }, { env: { PLAUDIT: faulty.kv, MODERATION: "post" } });
      expect([201, 503]).toContain(response.status);
      if (response.status === 503) expect(await errorCode(response)).toBe("storage_unavailable");
      else {
        const { comment } = await json<{ comment: { id: string } }>(response);
        expect((await storedComments(article)).map((c) => c.id)).toContain(comment.id);
      }
      await expectThreadConsistent(article);
    });

    it(`of an approval (operation ${failAt}): 503 or 200, and the thread matches the stored statuses`, async () => {
      const article = `fault-approve-${failAt}`;
      const posted = await json<{ comment: { id: string } }>(await postComment(article, { body: `to approve ${failAt}` }));
      const faulty = faultyKv(defaultBinding(), failAt);
      const response = await admin("PATCH", commentPath(article, posted.comment.id), { body: { status: "approved" }, env: { PLAUDIT: faulty.kv } });
      expect([200, 503]).toContain(response.status);
      const [stored] = await storedComments(article);
      if (response.status === 200) expect(stored!.status).toBe("approved");
      await expectThreadConsistent(article);
      // Whatever happened, the moderation queue can still find the comment under its real status
      // (once KV's lists show the change, as they do within a minute).
      kvSettles();
      const queue = await json<{ comments: { id: string }[] }>(await admin("GET", `/comments?status=${stored!.status}&limit=100`));
      expect(queue.comments.map((c) => c.id)).toContain(posted.comment.id);
    });
  }

  it("during a full outage every route answers 503 storage_unavailable, never 500", async () => {
    const { kv } = faultyKv(env.PLAUDIT, 1, { failAll: true });
    const outage = { env: { PLAUDIT: kv } };
    const responses = await Promise.all([
      call("GET", articlePath("outage"), outage),
      call("GET", articlePath("outage", "/comments"), outage),
      postComment("outage", {}, outage),
      admin("GET", "/comments", outage),
      admin("DELETE", "/articles/outage/votes", outage),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(503);
      expect(await errorCode(response)).toBe("storage_unavailable");
    }
  });
});
