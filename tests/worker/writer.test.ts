import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { publicId } from "../../worker/lib/hash";
import { admin, articlePath, call, commentPath, freshIp, json, postComment } from "./support/api";
import { productionEnv, productionKv } from "./support/production";

/** KV's real gap between two writes of one key, as deployed (the worker suite's default is 0). */
const REAL_GAP = { KV_WRITE_GAP_MS: "" };

type Thread = { comments: { count: number; items: { id: string; body: string }[] } };

async function thread(article: string, options: Parameters<typeof call>[2] = {}) {
  return (await json<Thread>(await call("GET", articlePath(article), options))).comments;
}

/** Every comment of the public thread, page after page. */
async function wholeThread(article: string, options: Parameters<typeof call>[2] = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page: { comments: { id: string }[]; cursor: string | null } = await json(await call("GET", `${articlePath(article, "/comments")}?limit=100&cursor=${cursor}`, options));
    ids.push(...page.comments.map((item) => item.id));
    cursor = page.cursor;
  }
  return ids;
}

/** What an article's writer still owes KV, read from its own storage. */
async function owed(article: string): Promise<number> {
  const writer = env.ARTICLES.get(env.ARTICLES.idFromName(await publicId(article)));
  return runInDurableObject(writer, async (_, state) => (await state.storage.list({ prefix: "owed:" })).size);
}

describe("an article's writer", () => {
  it("publishes 60 comments posted at once: all answered 201, all in the thread within a turn or two, with no cron and no write refused", async () => {
    const kv = productionKv();
    const site = () => ({ ...productionEnv(kv), ...REAL_GAP, MODERATION: "post" });
    const posts = await Promise.all(Array.from({ length: 60 }, (_, i) => postComment("writer-burst", { body: `Burst comment ${i}, each one its own.` }, { env: site(), ip: freshIp() })));
    expect(posts.map((response) => response.status)).toEqual(Array(60).fill(201));
    const answered = Date.now();
    const ids = new Set(await Promise.all(posts.map(async (response) => (await json(response)).comment.id as string)));
    // Read the writer's own location's KV (this test's model), as often as a reader might.
    await expect.poll(async () => new Set(await wholeThread("writer-burst", { env: productionEnv(kv) })), { timeout: 5_000, interval: 100 }).toEqual(ids);
    expect(Date.now() - answered).toBeLessThan(5_000);
    expect(kv.stats().refused.writeRate).toBe(0);
  });

  it("applies an author's edit and a moderator's approval sent together, both of them, in either order", async () => {
    await Promise.all([0, 1, 2, 3].map(async (run) => {
      const article = `writer-together-${run}`;
      const posted = await json(await postComment(article, { body: `A first version ${run}.` }, { env: { MODERATION: "post", MAX_LINKS: "0" }, ip: freshIp() }));
      // A link holds it for review under MAX_LINKS=0; the edit removes it, the approval publishes it.
      const held = await json(await postComment(article, { body: `Held: https://example.com/${run}` }, { env: { MODERATION: "post", MAX_LINKS: "0" }, ip: freshIp() }));
      expect(held.comment.status).toBe("pending");
      const [edit, approval] = await Promise.all([
        call("PATCH", articlePath(article, `/comments/${held.comment.id}`), { env: { MODERATION: "post" }, body: { editToken: held.editToken, body: `Edited, no link ${run}.` } }),
        admin("PATCH", commentPath(article, held.comment.id), { body: { status: "approved" } }),
      ]);
      expect([edit.status, approval.status]).toEqual([200, 200]);
      const shown = await thread(article);
      expect(shown.items.map((item) => item.body)).toEqual([`A first version ${run}.`, `Edited, no link ${run}.`]);
      expect(posted.comment.status).toBe("approved");
    }));
  });

  it("keeps the thread and a comment's status in step when its author deletes it as a moderator approves it", async () => {
    await Promise.all([0, 1, 2, 3].map(async (run) => {
      const article = `writer-race-${run}`;
      const held = await json(await postComment(article, { body: `Waiting for review ${run}.` }, { ip: freshIp() }));
      const [removal, approval] = await Promise.all([
        call("DELETE", articlePath(article, `/comments/${held.comment.id}`), { body: { editToken: held.editToken } }),
        admin("PATCH", commentPath(article, held.comment.id), { body: { status: "approved" } }),
      ]);
      expect(removal.status).toBe(204);
      // Applied one after the other on the current state: the last one decides, and the thread says what the status says.
      const { status } = await json(await call("GET", articlePath(article, `/comments/${held.comment.id}/status`)));
      const shown = (await thread(article)).items.map((item) => item.id);
      expect(shown).toEqual(status === "approved" ? [held.comment.id] : []);
    }));
  });

  it("loses nothing it acknowledged when it is reset between a change and its flush: its alarm writes what it owed", async () => {
    const kv = productionKv();
    const site = () => ({ ...productionEnv(kv), ...REAL_GAP, MODERATION: "post" });
    const first = await postComment("writer-reset", { body: "Written at once." }, { env: site(), ip: freshIp() });
    const second = await postComment("writer-reset", { body: "Owed for the next turn." }, { env: site(), ip: freshIp() });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(await owed("writer-reset")).toBeGreaterThan(0);
    // The object dies before its turn: its memory is gone, its storage and alarm are not.
    const writer = env.ARTICLES.get(env.ARTICLES.idFromName(await publicId("writer-reset")));
    await runInDurableObject(writer, (_, state) => state.abort("a test kills the writer mid-turn")).catch(() => {});
    await expect.poll(() => owed("writer-reset"), { timeout: 8_000, interval: 100 }).toBe(0);
    expect((await thread("writer-reset", { env: productionEnv(kv) })).items.map((item) => item.body)).toEqual(["Written at once.", "Owed for the next turn."]);
  });
});
