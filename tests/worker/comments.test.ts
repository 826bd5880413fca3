import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, articlePath, call, errorCode, freshIp, json, kvSettles, postComment, publish, runCron, seedThread, untilWritten } from "./support/api";
import { defaultBinding, fixtureKv } from "./support/production";
import { dumpKv } from "./support/kv";
import { forgetCachedSettings } from "../../worker/settings/store";

type Thread = { comments: { id: string; parentId: string | null; body: string; author: string }[]; count: number; cursor: string | null };
const post = { env: { MODERATION: "post" } };

async function readArticle(article: string) {
  return json<{ comments: { count: number; items: Thread["comments"]; cursor: string | null } }>(await call("GET", articlePath(article)));
}

describe("POST /api/v1/articles/{article}/comments", () => {
  it("holds comments for moderation by default, and never shows them publicly", async () => {
    const response = await postComment("pre-mod", { author: "  Grace  ", body: "First!\r\nSecond line", email: "grace@example.com", website: "https://grace.example" });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toMatchObject({
      comment: { parentId: null, author: "Grace", website: "https://grace.example/", body: "First!\nSecond line", editedAt: null, status: "pending" },
      editToken: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Object.keys(created.comment).sort()).toEqual(["author", "body", "createdAt", "editedAt", "id", "parentId", "status", "website"]);
    expect((await readArticle("pre-mod")).comments).toEqual({ count: 0, items: [], cursor: null });
  });

  it("publishes at once under MODERATION=post, without email, IP or status", async () => {
    const { comment } = await publish("post-mod", { email: "hidden@example.com" });
    expect(comment.status).toBe("approved");
    const { comments } = await readArticle("post-mod");
    expect(comments.count).toBe(1);
    expect(comments.items[0]).toEqual({
      id: comment.id,
      parentId: null,
      author: "Ada",
      website: null,
      body: expect.stringContaining("Comment number"),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      editedAt: null,
    });
    expect(JSON.stringify(comments)).not.toContain("hidden@example.com");
  });

  it("holds comments with more than MAX_LINKS links even under post-moderation", async () => {
    const body = "See https://a.example and http://b.example and HTTPS://c.example";
    expect((await json(await postComment("links", { body }, post))).comment.status).toBe("pending");
    expect((await json(await postComment("links", { body: "Only https://a.example here" }, post))).comment.status).toBe("approved");
    expect((await json(await postComment("links", { body: "one http://a.example two http://b.example" }, { env: { MODERATION: "post", MAX_LINKS: "1" } }))).comment.status).toBe("pending");
  });

  it("cleans text: trims, drops control characters, keeps line breaks", async () => {
    const { comment } = await publish("clean", { author: "Bo\u0000b\u200b", body: "\u0007 Hello\tthere\n\n\n\nbye \u2028" });
    expect(comment).toMatchObject({ author: "Bob\u200b", body: "Hello there\n\nbye" });
  });

  it.each([
    ["author", { author: "" }],
    ["author", { author: "   " }],
    ["author", { author: "x".repeat(81) }],
    ["author", { author: 42 }],
    ["body", { body: "" }],
    ["body", { body: " \n\u0000 " }],
    ["body", { body: "x".repeat(5001) }],
    ["email", { email: "not-an-email" }],
    ["website", { website: "javascript:alert(1)" }],
    ["website", { website: "data:text/html,hi" }],
    ["website", { website: "ftp://files.example" }],
    ["website", { website: "//evil.example" }],
    ["parentId", { parentId: "../../etc" }],
  ])("a bad %s → 400 invalid_comment naming the field", async (field, input) => {
    const response = await postComment("bad-fields", input);
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error).toMatchObject({ code: "invalid_comment", field });
  });

  it("accepts exactly 80-character names and 5000-character bodies, and blank optional fields", async () => {
    const response = await postComment("limits", { author: "é".repeat(80), body: "日".repeat(5000), email: "", website: "" });
    expect(response.status).toBe(201);
  });

  it("answers 409 duplicate for the same body on the same article, ignoring case and spacing", async () => {
    expect((await postComment("dupes", { body: "Great read, thanks." })).status).toBe(201);
    const again = await postComment("dupes", { body: "  great READ,   thanks. " });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("duplicate");
    expect((await postComment("other-article", { body: "Great read, thanks." })).status).toBe(201);
  });

  it("keeps nothing when the honeypot field is filled, but answers like a held comment", async () => {
    const response = await postComment("honeypot", { company: "Spam Inc", body: "buy now honeypot" });
    expect(response.status).toBe(201);
    expect((await json(response)).comment.status).toBe("pending");
    expect((await dumpKv(env.PLAUDIT)).join("\n")).not.toContain("honeypot");
  });

  it("rate-limits to 3 comments a minute per client network (6 KV writes)", async () => {
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await postComment(`flood-${i}`, {}, { ip })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it("only lets replies attach to a published comment of the same article", async () => {
    const parent = await publish("replies");
    expect((await postComment("replies", { parentId: parent.comment.id }, post)).status).toBe(201);

    const pending = await json(await postComment("replies"));
    const toPending = await postComment("replies", { parentId: pending.comment.id });
    expect(toPending.status).toBe(400);
    expect((await json(toPending)).error.field).toBe("parentId");
    expect((await postComment("elsewhere", { parentId: parent.comment.id })).status).toBe(400);
    expect((await postComment("replies", { parentId: "0000000000000000000" })).status).toBe(400);
  });
});

describe("the public thread", () => {
  it("lists comments in the order they were published, each reply naming the comment it answers", async () => {
    const article = "thread-order";
    const first = await publish(article, { body: "first" });
    await publish(article, { body: "second" });
    const reply = await publish(article, { body: "reply to first", parentId: first.comment.id });
    const held = await json(await postComment(article, { body: "approved later, a reply", parentId: first.comment.id }));
    await publish(article, { body: "third", parentId: reply.comment.id });
    expect((await admin("PATCH", `/comments/${article}/${held.comment.id}`, { body: { status: "approved" } })).status).toBe(200);
    const items = (await readArticle(article)).comments.items;
    expect(items.map((c) => [c.body, c.parentId])).toEqual([
      ["first", null],
      ["second", null],
      ["reply to first", first.comment.id],
      ["third", reply.comment.id],
      ["approved later, a reply", first.comment.id],
    ]);
  });

  it("pages with cursor and limit, 50 per page by default, every comment exactly once", async () => {
    const article = "paging";
    await seedThread(article, Array.from({ length: 57 }, (_, i) => `paged comment ${i}`));
    const view = await readArticle(article);
    expect(view.comments.count).toBe(57);
    expect(view.comments.items).toHaveLength(50);
    expect(view.comments.cursor).toEqual(expect.any(String));

    // A later page is one KV operation (a bulk get of the head and the pages after the cursor).
    const { budgetedKv } = await import("../../worker/lib/kv");
    const oneOperation = { env: { PLAUDIT: budgetedKv(env.PLAUDIT, 1).kv } };
    const rest = await json<Thread>(await call("GET", `${articlePath(article, "/comments")}?cursor=${view.comments.cursor}`, oneOperation));
    expect(rest.comments.map((c) => c.body)).toEqual([50, 51, 52, 53, 54, 55, 56].map((i) => `paged comment ${i}`));
    expect(rest.cursor).toBeNull();

    for (const limit of [1, 7, 50, 100]) {
      const bodies: string[] = [];
      let cursor: string | null = "";
      while (cursor !== null) {
        const page: Thread = await json<Thread>(await call("GET", `${articlePath(article, "/comments")}?limit=${limit}&cursor=${cursor}`));
        expect(page.comments.length).toBeLessThanOrEqual(limit);
        bodies.push(...page.comments.map((c) => c.body));
        cursor = page.cursor;
      }
      expect(bodies).toEqual(Array.from({ length: 57 }, (_, i) => `paged comment ${i}`));
    }
  });

  it("keeps every response under 64 KB however long the comments, and still reaches them all", async () => {
    const article = "long-comments";
    const long = (i: number) => `${i} ${"Ünïcödé prose that goes on. ".repeat(178)}`.slice(0, 5000).trimEnd();
    const published = Array.from({ length: 30 }, (_, i) => long(i));
    await seedThread(article, published);
    const view = await call("GET", articlePath(article));
    expect((await view.clone().arrayBuffer()).byteLength).toBeLessThan(64 * 1024);
    const first = (await json<{ comments: Thread & { items: { body: string }[] } }>(view)).comments;
    const bodies = first.items.map((c) => c.body);
    let cursor = first.cursor;
    while (cursor !== null) {
      const response = await call("GET", `${articlePath(article, "/comments")}?limit=100&cursor=${cursor}`);
      expect((await response.clone().arrayBuffer()).byteLength).toBeLessThan(64 * 1024);
      const page = await json<Thread>(response);
      bodies.push(...page.comments.map((c) => c.body));
      cursor = page.cursor;
    }
    expect(bodies).toEqual(published);
    expect(first.items.length).toBeLessThan(30);
  });

  it("publishes, edits, approves and removes for the same KV operations on a 3-page thread as on an empty article, with no list()", async () => {
    const { countingKv } = await import("./support/kv");
    const costs = async (article: string) => {
      const metered = countingKv(defaultBinding());
      const on = { env: { PLAUDIT: metered.kv } };
      const step = async (run: () => Promise<Response>, ok: number) => {
        metered.reset();
        // A post reads the block list unless this isolate read it in the last 30 s: always, here.
        forgetCachedSettings();
        expect((await run()).status).toBe(ok);
        // A thread write due a turn later (KV's gap between writes of a key) is the step's too.
        await untilWritten(article, on);
        return { ...metered.counts };
      };
      // The article's writer reads its thread from KV once, on the article's first change ever.
      const held = await json(await postComment(article, { body: `costed held post on ${article}` }));
      let posted = { comment: { id: "" }, editToken: "" };
      const publishCost = await step(async () => {
        const response = await postComment(article, { body: `costed post on ${article}` }, { ...on, env: { ...on.env, MODERATION: "post" }, ip: freshIp() });
        posted = await response.clone().json();
        return response;
      }, 201);
      const editCost = await step(() => call("PATCH", articlePath(article, `/comments/${posted.comment.id}`), { env: { ...on.env, MODERATION: "post" }, ip: freshIp(), body: { editToken: posted.editToken, body: `costed post on ${article}, edited` } }), 200);
      const approveCost = await step(() => admin("PATCH", `/comments/${article}/${held.comment.id}`, { ...on, body: { status: "approved" } }), 200);
      const spamCost = await step(() => admin("PATCH", `/comments/${article}/${posted.comment.id}`, { ...on, body: { status: "spam" } }), 200);
      return { publishCost, editCost, approveCost, spamCost };
    };
    const fresh = await costs("cost-fresh");
    await seedThread("cost-long", Array.from({ length: 120 }, (_, i) => `filler ${i}`));
    const long = await costs("cost-long");
    // Each step comes from a new client, so no busy-minute count.
    for (const cost of [...Object.values(fresh), ...Object.values(long)]) {
      expect(cost.lists).toBe(0);
      expect(cost.reads).toBeLessThanOrEqual(6);
      expect(cost.writes + cost.deletes).toBeLessThanOrEqual(7);
    }
    // The newest comments are on the last page, which lives in the head like the first.
    expect(long).toEqual(fresh);
    const view = await readArticle("cost-long");
    expect(view.comments.count).toBe(121);
  }, 60_000);

  it("takes a spammed or deleted comment off a later page at once", async () => {
    const article = "remove-later-page";
    const seeded = await seedThread(article, Array.from({ length: 52 }, (_, i) => `remove test ${i}`));
    const posted = [];
    for (let i = 52; i < 55; i += 1) posted.push(await publish(article, { body: `remove test ${i}` }));
    expect((await admin("PATCH", `/comments/${article}/${posted[0]!.comment.id}`, { body: { status: "spam" } })).status).toBe(200);
    expect((await call("DELETE", articlePath(article, `/comments/${posted[1]!.comment.id}`), { ...post, body: { editToken: posted[1]!.editToken } })).status).toBe(204);
    expect((await admin("DELETE", `/comments/${article}/${seeded[3]}`)).status).toBe(204);
    const view = await readArticle(article);
    const rest = await json<Thread>(await call("GET", `${articlePath(article, "/comments")}?cursor=${view.comments.cursor}`));
    const bodies = [...view.comments.items, ...rest.comments].map((c) => c.body);
    expect(view.comments.count).toBe(52);
    expect(bodies).toEqual(Array.from({ length: 55 }, (_, i) => i).filter((i) => ![3, 52, 53].includes(i)).map((i) => `remove test ${i}`));
  });

  it("reads and moves on from a thread written before pages existed", async () => {
    const article = "legacy-thread";
    const { publicId } = await import("../../worker/lib/hash");
    const { newCommentId, toPublic } = await import("../../worker/comments/model");
    const a = await publicId(article);
    // The old layout, as the Worker wrote it before pages (and before articles had writers): a head
    // without pages, the whole thread in thread-all, and comments that do not know their page.
    const comments = [0, 1, 2].map((i) => ({ id: newCommentId(Date.now() - 60_000 + i), article, parentId: null, author: "Ada", email: null, website: null, body: `legacy ${i}`, createdAt: Date.now() - 60_000 + i, editedAt: null, status: "approved" as const, editTokenHash: "", ipHash: "" }));
    for (const comment of comments) await fixtureKv().put(`comment:${a}:${comment.id}`, JSON.stringify(comment), { metadata: { s: "approved", t: comment.createdAt, p: null, h: comment.id } });
    const items = comments.map(toPublic);
    await fixtureKv().put(`thread:${a}`, JSON.stringify({ article, count: 3, items }), { metadata: { t: 0, n: 3 } });
    await fixtureKv().put(`thread-all:${a}`, JSON.stringify(items));
    expect((await readArticle(article)).comments.items.map((c) => c.body)).toEqual(["legacy 0", "legacy 1", "legacy 2"]);
    expect((await admin("PATCH", `/comments/${article}/${comments[1]!.id}`, { body: { status: "spam" } })).status).toBe(200);
    await publish(article, { body: "legacy 3" });
    expect((await readArticle(article)).comments.items.map((c) => c.body)).toEqual(["legacy 0", "legacy 2", "legacy 3"]);
    // The writer moved the thread to pages with its first change: the old value is gone already.
    await expect.poll(() => env.PLAUDIT.get(`thread-all:${a}`)).toBeNull();
    await runCron({ sweep: true });
    expect((await readArticle(article)).comments.items.map((c) => c.body)).toEqual(["legacy 0", "legacy 2", "legacy 3"]);
  });

  it.each(["limit=0", "limit=101", "limit=abc", "cursor=-1", "cursor=x"])("rejects ?%s with a 400", async (query) => {
    const response = await call("GET", `${articlePath("paging-bad", "/comments")}?${query}`);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toMatch(/^invalid_(limit|cursor)$/);
  });

  it("serves a long thread in the layout from before pages until the sweep converts it", async () => {
    const article = "legacy-long-thread";
    await seedThread(article, Array.from({ length: 55 }, (_, i) => `old layout ${i}`));
    const { publicId } = await import("../../worker/lib/hash");
    const a = await publicId(article);
    const all: Thread["comments"] = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const page: Thread = await json<Thread>(await call("GET", `${articlePath(article, "/comments")}?cursor=${cursor}`));
      all.push(...page.comments);
      cursor = page.cursor;
    }
    // As the previous version wrote it: the first 50 in the head, all of them in thread-all.
    await fixtureKv().put(`thread:${a}`, JSON.stringify({ article, count: 55, items: all.slice(0, 50) }), { metadata: { t: 0, n: 55 } });
    await fixtureKv().put(`thread-all:${a}`, JSON.stringify(all));
    for (let page = 1; page < 3; page += 1) await fixtureKv().delete(`thread-page:${a}:${page}`);

    const view = await readArticle(article);
    expect(view.comments.cursor).toBe("1.0");
    const rest = await json<Thread>(await call("GET", `${articlePath(article, "/comments")}?cursor=50`));
    expect(rest.comments.map((c) => c.body)).toEqual([50, 51, 52, 53, 54].map((i) => `old layout ${i}`));

    await runCron({ sweep: true });
    // The writer deletes it with the head's next write, a turn after its last one at most.
    await expect.poll(() => env.PLAUDIT.get(`thread-all:${a}`), { timeout: 5_000 }).toBeNull();
    const converted = await json<Thread>(await call("GET", `${articlePath(article, "/comments")}?cursor=${(await readArticle(article)).comments.cursor}`));
    expect(converted.comments.map((c) => c.body)).toEqual([50, 51, 52, 53, 54].map((i) => `old layout ${i}`));
  });

  it("a page view still costs at most 2 KV reads with many comments", async () => {
    const { countingKv } = await import("./support/kv");
    await seedThread("cheap-view", Array.from({ length: 60 }, (_, i) => `view cost ${i}`));
    const metered = countingKv(env.PLAUDIT);
    await call("GET", articlePath("cheap-view"), { env: { PLAUDIT: metered.kv } });
    expect(metered.counts).toEqual({ reads: 2, writes: 0, deletes: 0, lists: 0 });
  });

  it("shows the writer's own change at once even while KV lists lag behind it", async () => {
    const { laggingListKv } = await import("./support/kv");
    const lagging = { PLAUDIT: laggingListKv(env.PLAUDIT) };
    const published = await postComment("lagging-list", { body: "published while lists lag" }, { env: { ...lagging, MODERATION: "post" } });
    expect(published.status).toBe(201);
    const held = await json(await postComment("lagging-list", { body: "approved while lists lag" }));
    expect((await admin("PATCH", `/comments/lagging-list/${held.comment.id}`, { body: { status: "approved" }, env: { PLAUDIT: laggingListKv(env.PLAUDIT) } })).status).toBe(200);
    const bodies = (await readArticle("lagging-list")).comments.items.map((c) => c.body);
    expect(bodies).toEqual(["published while lists lag", "approved while lists lag"]);
  });

  it("heals after concurrent posts: the periodic sweep makes the thread exact", async () => {
    const article = "concurrent-comments";
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => postComment(article, { body: `parallel ${i}` }, { ...post, ip: freshIp() })));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    // Simulate a rebuild that lost the race: the thread misses comments until the cron runs.
    const { publicId } = await import("../../worker/lib/hash");
    const a = await publicId(article);
    await fixtureKv().put(`thread:${a}`, JSON.stringify({ article, count: 1, items: [] }), { metadata: { t: Date.now(), n: 1 } });
    await runCron({ sweep: true });
    const { comments } = await readArticle(article);
    expect(comments.count).toBe(30);
    expect(new Set(comments.items.map((c) => c.body)).size).toBe(30);
  });
});

describe("authors edit and delete within the window", () => {
  afterEach(() => vi.useRealTimers());

  it("edits the body with the edit token (under post-moderation, at once)", async () => {
    const { comment, editToken } = await publish("author-edit", { body: "Typo hree" });
    const response = await call("PATCH", articlePath("author-edit", `/comments/${comment.id}`), { ...post, body: { editToken, body: "Typo here" } });
    expect(response.status).toBe(200);
    expect((await json(response)).comment).toMatchObject({ body: "Typo here", editedAt: expect.any(String), status: "approved" });
    expect((await readArticle("author-edit")).comments.items[0]).toMatchObject({ body: "Typo here" });
  });

  it("deletes with the edit token: gone from the thread", async () => {
    const { comment, editToken } = await publish("author-delete");
    const response = await call("DELETE", articlePath("author-delete", `/comments/${comment.id}`), { body: { editToken } });
    expect(response.status).toBe(204);
    expect((await readArticle("author-delete")).comments.count).toBe(0);
    expect((await call("DELETE", articlePath("author-delete", `/comments/${comment.id}`), { body: { editToken } })).status).toBe(404);
  });

  it("rate-limits an author's edits and deletes like posts: a flood from one network is refused, the comment keeps its last accepted text", { timeout: 60_000 }, async () => {
    const { comment, editToken } = await publish("author-flood", { body: "First version" });
    const ip = freshIp();
    // The allowance counts per minute, and with KV's real write gap each accepted edit waits a turn
    // (1.5 s): start with time to spare, so the minute cannot turn while the flood is let in.
    const leftInMinute = 60_000 - (Date.now() % 60_000);
    if (leftInMinute < 20_000) await new Promise((resolve) => setTimeout(resolve, leftInMinute + 50));
    const path = articlePath("author-flood", `/comments/${comment.id}`);
    const statuses = [];
    for (let i = 0; i < 20; i += 1) {
      statuses.push((await call("PATCH", path, { ip, env: { MODERATION: "post" }, body: { editToken, body: `Version ${i}` } })).status);
    }
    // 10 writes a minute: an edit of a published comment costs 3 (its record, its queue entry, the thread).
    expect(statuses).toEqual([200, 200, 200, ...Array(17).fill(429)]);
    const deleted = await call("DELETE", path, { ip, body: { editToken } });
    expect(deleted.status).toBe(429);
    expect(await errorCode(deleted)).toBe("rate_limited");
    expect((await readArticle("author-flood")).comments.items[0]).toMatchObject({ body: "Version 2" });
  });

  it("refuses a wrong token (403) and an unknown comment (404)", async () => {
    const { comment } = await publish("author-wrong");
    const wrong = await call("PATCH", articlePath("author-wrong", `/comments/${comment.id}`), { body: { editToken: "f".repeat(64), body: "hijack" } });
    expect(wrong.status).toBe(403);
    expect(await errorCode(wrong)).toBe("invalid_edit_token");
    const unknown = await call("PATCH", articlePath("author-wrong", "/comments/zzzzzzzzzzzzzzzzzzz"), { body: { editToken: "x", body: "hi" } });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("comment_not_found");
  });

  it("closes the window after EDIT_WINDOW_SECONDS (fake time)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
    const { comment, editToken } = await publish("author-late");
    vi.setSystemTime(new Date("2026-03-01T12:14:59Z"));
    const inTime = await call("PATCH", articlePath("author-late", `/comments/${comment.id}`), { body: { editToken, body: "still in time" } });
    expect(inTime.status).toBe(200);
    vi.setSystemTime(new Date("2026-03-01T12:15:01Z"));
    for (const [method, body] of [["PATCH", { editToken, body: "too late" }], ["DELETE", { editToken }]] as const) {
      const late = await call(method, articlePath("author-late", `/comments/${comment.id}`), { body });
      expect(late.status).toBe(403);
      expect(await errorCode(late)).toBe("edit_window_closed");
    }
  });

  it("sends an edit that adds too many links back to moderation (under post-moderation)", async () => {
    const { comment, editToken } = await publish("author-links");
    const response = await call("PATCH", articlePath("author-links", `/comments/${comment.id}`), {
      ...post,
      body: { editToken, body: "now with http://a.example http://b.example http://c.example" },
    });
    expect((await json(response)).comment.status).toBe("pending");
    expect((await readArticle("author-links")).comments.count).toBe(0);
    kvSettles();
    const queue = await json(await admin("GET", "/comments?status=pending&article=author-links"));
    expect(queue.comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);
  });
});

describe("GET /api/v1/articles/{article}/comments/{id}/status", () => {
  const statusOf = async (article: string, id: string) => {
    const response = await call("GET", articlePath(article, `/comments/${id}/status`));
    return response.status === 200 ? (await json<{ status: string }>(response)).status : await errorCode(response);
  };

  it("tells an author's browser whether a held comment was published or removed, for one KV read", async () => {
    const article = "status-fates";
    const [published, spam, withdrawn, waiting] = await Promise.all([1, 2, 3, 4].map(async () => (await json(await postComment(article))) as { comment: { id: string }; editToken: string }));
    kvSettles();
    const { countingKv } = await import("./support/kv");
    const metered = countingKv(env.PLAUDIT);
    const response = await call("GET", articlePath(article, `/comments/${waiting!.comment.id}/status`), { env: { PLAUDIT: metered.kv } });
    expect(await json(response)).toEqual({ status: "pending" });
    expect(metered.counts).toEqual({ reads: 1, writes: 0, deletes: 0, lists: 0 });

    expect((await admin("PATCH", `/comments/${article}/${published!.comment.id}`, { body: { status: "approved" } })).status).toBe(200);
    expect((await admin("PATCH", `/comments/${article}/${spam!.comment.id}`, { body: { status: "spam" } })).status).toBe(200);
    expect((await call("DELETE", articlePath(article, `/comments/${withdrawn!.comment.id}`), { body: { editToken: withdrawn!.editToken } })).status).toBe(204);
    expect(await statusOf(article, published!.comment.id)).toBe("approved");
    expect(await statusOf(article, spam!.comment.id)).toBe("removed");
    expect(await statusOf(article, withdrawn!.comment.id)).toBe("removed");
    expect(await statusOf(article, waiting!.comment.id)).toBe("pending");
  });

  it("says removed for an erased or unknown comment, 404 for a malformed id, and 405 for other methods", async () => {
    const article = "status-gone";
    const { comment } = await json(await postComment(article));
    kvSettles();
    expect((await admin("DELETE", `/comments/${article}/${comment.id}`)).status).toBe(204);
    expect(await statusOf(article, comment.id)).toBe("removed");
    expect(await statusOf(article, "zzzzzzzzzzzzzzzzzzz")).toBe("removed");
    // Another article's comment is not there under this one.
    const elsewhere = await json(await postComment("status-elsewhere"));
    expect(await statusOf(article, elsewhere.comment.id)).toBe("removed");
    expect(await statusOf("status-elsewhere", elsewhere.comment.id)).toBe("pending");
    expect(await statusOf(article, "not-an-id")).toBe("comment_not_found");
    expect((await call("POST", articlePath(article, `/comments/${comment.id}/status`), { body: {} })).status).toBe(405);
  });
});

describe("Turnstile and webhooks", () => {
  afterEach(() => vi.restoreAllMocks());

  it("requires a valid Turnstile token when TURNSTILE_SECRET is set", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const form = new URLSearchParams(String(init?.body));
      return Response.json({ success: form.get("response") === "good-token" && form.get("secret") === "ts-secret" });
    });
    const settings = { env: { TURNSTILE_SECRET: "ts-secret" } };
    const missing = await postComment("turnstile", {}, settings);
    expect([missing.status, await errorCode(missing)]).toEqual([403, "turnstile_required"]);
    const bad = await postComment("turnstile", { turnstileToken: "bad-token" }, settings);
    expect([bad.status, await errorCode(bad)]).toEqual([403, "turnstile_failed"]);
    expect((await postComment("turnstile", { turnstileToken: "good-token" }, settings)).status).toBe(201);
    expect(String(fetchSpy.mock.calls[0]![0])).toBe("https://challenges.cloudflare.com/turnstile/v0/siteverify");
  });

  it("posts each comment awaiting moderation to NOTIFY_WEBHOOK_URL", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("ok"));
    const waits: Promise<unknown>[] = [];
    const { default: worker } = await import("../../worker/index");
    const request = new Request(`https://plaudit.test${articlePath("webhook", "/comments")}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      body: JSON.stringify({ author: "Lin", body: "Please moderate me", email: "lin@example.com" }),
    });
    const response = await worker.fetch(request, { ...env, NOTIFY_WEBHOOK_URL: "https://hooks.example/plaudit" }, {
      waitUntil: (promise: Promise<unknown>) => waits.push(promise),
      passThroughOnException: () => {},
      props: {},
    } as unknown as ExecutionContext);
    expect(response.status).toBe(201);
    await Promise.all(waits);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe("https://hooks.example/plaudit");
    const payload = JSON.parse(String(init?.body));
    expect(payload).toMatchObject({ event: "comment.pending", article: "webhook", comment: { author: "Lin", body: "Please moderate me" } });
    expect(JSON.stringify(payload)).not.toContain("lin@example.com");
  });
});

describe("routing", () => {
  it("answers 405 for wrong methods on comment routes", async () => {
    expect((await call("PUT", articlePath("x", "/comments"), { body: {} })).status).toBe(405);
    expect((await call("GET", articlePath("x", "/comments/zzzzzzzzzzzzzzzzzzz"))).status).toBe(405);
  });

  it("accepts a long non-ASCII comment over the 16 KiB vote limit", async () => {
    expect((await postComment("big-body", { body: "😀".repeat(4000) })).status).toBe(201);
  });
});
