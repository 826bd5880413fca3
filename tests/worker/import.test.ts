import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_IMPORT_RECORDS } from "../../worker/admin/import";
import { importedCommentId } from "../../worker/admin/import-records";
import { admin, articlePath, call, errorCode, freshIp, freshVoter, json, postComment, runCron, vote } from "./support/api";
import { emptyProductionKv, exportEverything, withoutHeader } from "./support/export-pages";
import { faultyKv } from "./support/kv";
import type { ProductionKv } from "../support/production-kv";

const NDJSON = { "Content-Type": "application/x-ndjson" };

type ImportAnswer = {
  received: number;
  written: { comments: number; votes: number; earlier: number; feedback: number };
  existing: number;
  ignored: number;
  skipped: { line: number; code: string; message: string; field?: string }[];
  rebuild: { threads: number; ratings: number; queued: boolean };
};

/** A site's KV with a clock the test moves, so batches a second apart need no real waiting. */
function site() {
  let now = Date.now();
  const kv = emptyProductionKv(() => now);
  return { kv, tick: (ms = 2_000) => (now += ms), now: () => now };
}

/** POST one batch as one invocation; returns the answer and the KV operations it made. */
async function importBatch(kv: ProductionKv, records: unknown[]): Promise<{ status: number; body: ImportAnswer; ops: number }> {
  const invocation = kv.invocation({ label: "POST /admin/import" });
  const raw = records.map((record) => (typeof record === "string" ? record : JSON.stringify(record))).join("\n");
  const response = await admin("POST", "/import", { raw, headers: NDJSON, env: { PLAUDIT: invocation.kv } });
  const body = await json<ImportAnswer>(response);
  invocation.end();
  return { status: response.status, body, ops: invocation.ops };
}

/** Import records in batches of `size`, a couple of seconds apart as the CLI sends them. */
async function importAll(target: ReturnType<typeof site>, records: unknown[], size = 50) {
  const answers: { body: ImportAnswer; ops: number }[] = [];
  for (let start = 0; start < records.length; start += size) {
    const answer = await importBatch(target.kv, records.slice(start, start + size));
    expect(answer.status).toBe(200);
    answers.push(answer);
    target.tick();
  }
  return answers;
}

const cronOn = (target: ReturnType<typeof site>) => runCron({ at: target.tick(3 * 60_000), env: { PLAUDIT: target.kv.binding({ label: "cron" }) } });

const wordpressComment = (sourceId: string, fields: Record<string, unknown> = {}) => ({
  type: "comment",
  source: "wordpress",
  sourceId,
  article: "/2019/04/spring/",
  author: "Grace",
  email: "grace@example.com",
  website: null,
  body: `Comment ${sourceId}`,
  createdAt: "2019-04-02T10:00:00Z",
  status: "approved",
  ...fields,
});

describe("POST /api/v1/admin/import", () => {
  it("restores a backup into an empty Worker so that its export equals the original's", async () => {
    const original = site();
    const fresh = () => ({ env: { PLAUDIT: original.kv.binding(), MODERATION: "post" as const } });
    for (const stars of [5, 4, 2]) expect((await vote("/restore/a/", freshVoter(), stars, fresh())).status).toBe(200);
    original.tick();
    expect((await vote("/restore/b/", freshVoter(), 3, fresh())).status).toBe(200);
    const first = await json(await postComment("/restore/a/", { body: "First!", email: "ada@example.com", website: "https://ada.example" }, fresh()));
    original.tick();
    await postComment("/restore/a/", { body: "A reply", parentId: first.comment.id }, fresh());
    await postComment("/restore/b/", { body: "Held for review" }, { env: { PLAUDIT: original.kv.binding(), MODERATION: "pre" } });
    // A moderator's edit, a comment marked spam, and an article reset after two votes and voted on again.
    const edited = await json(await postComment("/restore/b/", { body: "Typo in here" }, fresh()));
    original.tick();
    expect((await admin("PATCH", `/comments/${encodeURIComponent("/restore/b/")}/${edited.comment.id}`, { body: { body: "No typo in here" }, env: { PLAUDIT: original.kv.binding() } })).status).toBe(200);
    const spam = await json(await postComment("/restore/b/", { body: "Cheap pills" }, fresh()));
    original.tick();
    expect((await admin("PATCH", `/comments/${encodeURIComponent("/restore/b/")}/${spam.comment.id}`, { body: { status: "spam" }, env: { PLAUDIT: original.kv.binding() } })).status).toBe(200);
    // A reader who gave 2 stars says what could be better (private feedback, backed up too).
    // (From an address of its own: the other writes here use up the test address's minute.)
    const critic = { voter: freshVoter(), ip: freshIp() };
    expect((await vote("/restore/feedback/", critic.voter, 2, { ...fresh(), ip: critic.ip })).status).toBe(200);
    expect((await call("POST", articlePath("/restore/feedback/", "/feedback"), { ...fresh(), ip: critic.ip, body: { voter: critic.voter, body: "More photos, please." } })).status).toBe(201);
    for (const stars of [1, 2]) expect((await vote("/restore/reset/", freshVoter(), stars, fresh())).status).toBe(200);
    original.tick();
    expect((await admin("DELETE", `/articles/${encodeURIComponent("/restore/reset/")}/votes`, { env: { PLAUDIT: original.kv.binding() } })).status).toBe(204);
    original.tick();
    // A vote in the reset's own millisecond counts as cast before it; workerd's clock only moves on I/O.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await json(await vote("/restore/reset/", freshVoter(), 5, fresh()))).toMatchObject({ yours: 5 });
    // Earlier votes from an import, then the original is backed up.
    expect((await importBatch(original.kv, [{ type: "earlier", article: "/restore/b/", count: 12, sum: 52, source: "wordpress" }])).body.written.earlier).toBe(1);
    original.tick(3 * 60_000);
    const backup = withoutHeader((await exportEverything(original.kv)).records);
    expect(backup.map((record) => record.type).sort()).toEqual(["comment", "comment", "comment", "comment", "comment", "earlier", "feedback", "vote", "vote", "vote", "vote", "vote", "vote"]);
    expect(backup).toContainEqual(expect.objectContaining({ type: "comment", body: "No typo in here", editedBy: "moderator" }));
    expect(backup).toContainEqual(expect.objectContaining({ type: "comment", body: "Cheap pills", status: "spam" }));

    const restored = site();
    const answers = await importAll(restored, backup, 3);
    expect(answers.flatMap((answer) => answer.body.skipped)).toEqual([]);
    expect(answers.reduce((sum, answer) => sum + answer.body.written.comments + answer.body.written.votes + answer.body.written.earlier + answer.body.written.feedback, 0)).toBe(backup.length);
    // Exported at once, before the cron has built a single aggregate, it is already complete.
    expect(withoutHeader((await exportEverything(restored.kv)).records)).toEqual(backup);
    // The minute cron recounts the restored articles, which names them in the export again.
    await cronOn(restored);
    restored.tick(3 * 60_000);
    expect(withoutHeader((await exportEverything(restored.kv)).records)).toEqual(backup);

    // Restoring again adds nothing.
    const again = await importAll(restored, backup, 50);
    expect(again[0]!.body).toMatchObject({ written: { comments: 0, votes: 0, earlier: 0, feedback: 0 }, existing: backup.length, skipped: [] });
  });

  it("imports another system's comments with stable ids, original dates and threading, and re-running adds nothing", async () => {
    const target = site();
    const records = [
      wordpressComment("1"),
      wordpressComment("2", { sourceParentId: "1", createdAt: "2019-04-03T08:30:00Z" }),
      wordpressComment("3", { sourceParentId: "2", createdAt: "2019-04-04T08:30:00Z" }),
      wordpressComment("4", { status: "pending", email: null }),
      wordpressComment("5", { status: "spam", body: "Buy now" }),
    ];
    const { body } = await importBatch(target.kv, records);
    // The article's writer shows the published ones as the batch is answered: nothing is left to the cron.
    expect(body).toMatchObject({ received: 5, written: { comments: 5 }, existing: 0, skipped: [], rebuild: { threads: 0, queued: true } });
    const page = await json(await call("GET", articlePath("/2019/04/spring/"), { env: { PLAUDIT: target.kv.binding() } }));
    expect(page.comments.count).toBe(3);
    const [one, two, three] = page.comments.items;
    expect(one).toMatchObject({ id: await importedCommentId("wordpress", "1"), parentId: null, author: "Grace", body: "Comment 1", createdAt: "2019-04-02T10:00:00.000Z" });
    expect(two).toMatchObject({ parentId: one.id, createdAt: "2019-04-03T08:30:00.000Z" });
    expect(three).toMatchObject({ parentId: two.id });
    const pending = await json(await admin("GET", "/comments?status=pending", { env: { PLAUDIT: target.kv.binding() } }));
    expect(pending.comments.map((comment: { body: string }) => comment.body)).toEqual(["Comment 4"]);

    target.tick();
    const again = await importBatch(target.kv, records);
    expect(again.body).toMatchObject({ written: { comments: 0 }, existing: 5, skipped: [] });
  });

  it("imports another system's rated reviews as votes: one voter per review, the exact per-star breakdown, and again adds nothing", async () => {
    const target = site();
    const review = (sourceId: string, rating: number) => ({ type: "vote", source: "wordpress", sourceId, article: "/product/teapot/", rating, at: "2023-02-10T08:15:00Z" });
    const reviews = [review("501", 5), review("502", 4), review("504", 4), review("505", 1)];
    const { body } = await importBatch(target.kv, reviews);
    expect(body).toMatchObject({ written: { votes: 4 }, skipped: [], rebuild: { ratings: 1, queued: true } });
    // Named in an export at once, each under a voter of its own.
    const votes = withoutHeader((await exportEverything(target.kv)).records);
    expect(votes.map((vote) => [vote.article, vote.rating])).toEqual(expect.arrayContaining([["/product/teapot/", 5], ["/product/teapot/", 4], ["/product/teapot/", 4], ["/product/teapot/", 1]]));
    expect(new Set(votes.map((vote) => vote.voter)).size).toBe(4);
    await cronOn(target);
    const page = await json(await call("GET", articlePath("/product/teapot/"), { env: { PLAUDIT: target.kv.binding() } }));
    expect(page.rating).toMatchObject({ count: 4, sum: 14, histogram: [1, 0, 0, 2, 1] });
    target.tick();
    expect((await importBatch(target.kv, reviews)).body).toMatchObject({ written: { votes: 0 }, existing: 4, skipped: [] });
    // A vote from another system needs its id there, and an article.
    const refused = await importBatch(target.kv, [{ ...review("", 3) }, { ...review("506", 3), article: null }, { ...review("507", 0) }]);
    expect(refused.body.skipped.map(({ line, field }) => [line, field])).toEqual([
      [1, "sourceId"],
      [2, "article"],
      [3, "rating"],
    ]);
  });

  it("names an imported vote's article in its key's metadata, whatever the article id (within KV's 1,024 bytes)", async () => {
    const target = site();
    // 200 letters of 4 bytes each, the longest id there is in bytes.
    const article = "\u{1D11E}".repeat(200);
    const { body } = await importBatch(target.kv, [{ type: "vote", source: "wordpress", sourceId: "1", article, rating: 3, at: "2023-01-01T00:00:00Z" }]);
    expect(body).toMatchObject({ written: { votes: 1 }, skipped: [] });
    expect(withoutHeader((await exportEverything(target.kv)).records)).toEqual([expect.objectContaining({ type: "vote", article, rating: 3 })]);
  });

  it("clamps imported times to now: nothing arrives from the future", async () => {
    const target = site();
    const future = "9999-12-31T00:00:00Z";
    const before = Date.now();
    const comment = { type: "comment", id: "0000000000000000001", article: "/future/", parentId: null, author: "Time traveller", email: null, website: null, body: "From the future", createdAt: future, editedAt: future, status: "pending", revision: { body: "Edited in the future", at: future } };
    const { body } = await importBatch(target.kv, [
      comment,
      { type: "vote", article: "/future/", voter: "v".repeat(22), rating: 4, at: future },
      { type: "earlier", article: "/future/", count: 2, sum: 8, at: future },
      { type: "feedback", article: "/future/", id: `${before}.${"f".repeat(22)}.abcdefghij`, rating: 4, body: "Later", createdAt: future, voter: "v".repeat(22) },
    ]);
    expect(body).toMatchObject({ written: { comments: 1, votes: 1, earlier: 1, feedback: 1 }, skipped: [] });
    const after = Date.now();
    const exported = withoutHeader((await exportEverything(target.kv)).records);
    const times = exported.flatMap((record) => [record.createdAt, record.editedAt, record.at, (record.revision as { at?: unknown } | undefined)?.at].filter((value) => value !== undefined && value !== null));
    expect(times).toHaveLength(6);
    for (const time of times) expect(new Date(time as string | number).getTime()).toBeLessThanOrEqual(after);
  });

  it("refuses a field a backup could not hold, such as an ipHash that would break saving the block list", async () => {
    const target = site();
    const env = { env: { PLAUDIT: target.kv.binding() } };
    const backupComment = (id: string, fields: Record<string, unknown> = {}) => ({ type: "comment", id, article: "/fields/", parentId: null, author: "Ada", email: "ada@example.com", website: null, body: `Comment ${id}`, createdAt: "2024-01-01T00:00:00Z", editedAt: null, status: "approved", ...fields });
    const good = "0000000000000000001";
    const bad = "0000000000000000002";
    const { body } = await importBatch(target.kv, [
      backupComment(good, { ipHash: "Abc_-123xyz", owner: true, editedBy: "moderator" }),
      backupComment(bad, { ipHash: "bad id!!" }),
      backupComment("0000000000000000003", { editedBy: "admin" }),
      backupComment("0000000000000000004", { revision: "a newer text" }),
      backupComment("0000000000000000005", { owner: "yes" }),
      wordpressComment("6", { owner: true }),
      { type: "vote", article: "/fields/", articleKey: "short", voter: "v".repeat(22), rating: 4, at: "2024-01-01T00:00:00Z" },
      { type: "vote", article: "/fields/", voter: "not a voter!", rating: 4, at: "2024-01-01T00:00:00Z" },
    ]);
    expect(body.written.comments).toBe(1);
    expect(body.skipped.map(({ line, field }) => [line, field])).toEqual([
      [2, "ipHash"],
      [3, "editedBy"],
      [4, "revision"],
      [5, "owner"],
      [6, "owner"],
      [7, "articleKey"],
      [8, "voter"],
    ]);
    // A backup's owner comment and moderator edit come back as they were.
    expect(withoutHeader((await exportEverything(target.kv)).records)).toEqual([expect.objectContaining({ id: good, ipHash: "Abc_-123xyz", owner: true, editedBy: "moderator" })]);
    // Blocking the imported author puts their address on the block list, which still saves.
    target.tick();
    expect((await admin("POST", `/comments/${encodeURIComponent("/fields/")}/${good}/block`, env)).status).toBe(200);
    expect((await admin("POST", `/comments/${encodeURIComponent("/fields/")}/${bad}/block`, env)).status).toBe(404);
    target.tick();
    const settings = await json(await admin("GET", "/settings", env));
    expect(settings.blockList.addresses).toEqual([expect.objectContaining({ id: "Abc_-123xyz" })]);
    expect((await admin("PUT", "/settings", { ...env, body: settings })).status).toBe(200);
  });

  it("answers a storage failure half-way with a 503, and the same batch sent again ends as one clean run", async () => {
    const records = Array.from({ length: 60 }, (_, i) => wordpressComment(`r${i}`, { article: `/resume/${i % 3}/`, sourceParentId: i >= 3 ? `r${i - 3}` : null }));
    const clean = site();
    await importAll(clean, records, 60);
    await cronOn(clean);

    const interrupted = site();
    const faulty = faultyKv(interrupted.kv.binding(), 40);
    const failed = await admin("POST", "/import", { raw: records.map((record) => JSON.stringify(record)).join("\n"), headers: NDJSON, env: { PLAUDIT: faulty.kv } });
    expect(failed.status).toBe(503);
    expect(await errorCode(failed)).toBe("storage_unavailable");
    interrupted.tick();
    const [resumed] = await importAll(interrupted, records, 60);
    expect(resumed!.body.existing).toBeGreaterThan(0);
    expect(resumed!.body.written.comments + resumed!.body.existing).toBe(60);
    await cronOn(interrupted);

    for (const target of [clean, interrupted]) target.tick(3 * 60_000);
    expect(withoutHeader((await exportEverything(interrupted.kv)).records)).toEqual(withoutHeader((await exportEverything(clean.kv)).records));
    for (let i = 0; i < 3; i += 1) {
      const page = (target: ReturnType<typeof site>) => call("GET", articlePath(`/resume/${i}/`), { env: { PLAUDIT: target.kv.binding() } }).then((response) => json(response));
      expect((await page(interrupted)).comments).toEqual((await page(clean)).comments);
    }
  });

  it("reports each bad record by line, code and field, and writes the good ones", async () => {
    const target = site();
    const { status, body } = await importBatch(target.kv, [
      { type: "export", version: 1 },
      "{not json",
      { type: "poll", article: "x" },
      wordpressComment("10", { author: "" }),
      wordpressComment("11", { createdAt: "yesterday" }),
      wordpressComment("12", { email: "not an email" }),
      { type: "earlier", article: "/rated/", count: 3, sum: 20 },
      { type: "vote", article: "/rated/", voter: "v".repeat(22), rating: 6, at: "2020-01-01T00:00:00Z" },
      wordpressComment("13"),
      wordpressComment("13"),
      wordpressComment("14", { createdAt: 1e20 }),
    ]);
    expect(status).toBe(200);
    expect(body.written.comments).toBe(1);
    expect(body.ignored).toBe(1);
    expect(body.skipped.map(({ line, code, field }) => [line, code, field])).toEqual([
      [2, "invalid_json", undefined],
      [3, "unknown_type", "type"],
      [4, "invalid_record", "author"],
      [5, "invalid_record", "createdAt"],
      [6, "invalid_record", "email"],
      [7, "invalid_record", "sum"],
      [8, "invalid_record", "rating"],
      [10, "duplicate_record", undefined],
      [11, "invalid_record", "createdAt"],
    ]);
    for (const skipped of body.skipped) expect(skipped.message.length).toBeGreaterThan(10);
  });

  it(`stays within a request's KV budget at ${MAX_IMPORT_RECORDS} records, and refuses more`, async () => {
    const target = site();
    const records = Array.from({ length: MAX_IMPORT_RECORDS }, (_, i) => wordpressComment(`b${i}`, { article: `/batch/${i % 40}/` }));
    const { status, body, ops } = await importBatch(target.kv, records);
    expect(status).toBe(200);
    expect(body.written.comments).toBe(MAX_IMPORT_RECORDS);
    // Counted together here, though deployed each writer's call is an invocation of its own: two
    // writes per comment, and per article's writer a read of its thread head on first use, a bulk
    // get of its batch's ids and one write of the head. Nothing for the cron.
    expect(ops).toBe(2 * MAX_IMPORT_RECORDS + 3 * 40);
    expect(body.rebuild).toEqual({ threads: 0, ratings: 0, queued: true });

    const tooMany = await admin("POST", "/import", { raw: [...records, wordpressComment("extra")].map((r) => JSON.stringify(r)).join("\n"), headers: NDJSON });
    expect(tooMany.status).toBe(413);
    expect(await errorCode(tooMany)).toBe("too_many_records");
  });

  it("never fails with a 500, whatever the lines hold: each is written, passed over or reported", async () => {
    const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(1e20), fc.constant("2024-01-01T00:00:00Z"), fc.object({ maxDepth: 1 }));
    const record = fc.record(
      { type: fc.constantFrom("comment", "vote", "earlier", "export", "continue", "other"), source: fc.constantFrom("wordpress", "disqus", "x", undefined), sourceId: anything, sourceParentId: anything, id: anything, parentId: anything, article: fc.oneof(anything, fc.constantFrom("/fuzzed/", ".", "", "x".repeat(201))), author: anything, body: anything, email: anything, website: anything, createdAt: anything, editedAt: anything, status: fc.oneof(anything, fc.constantFrom("approved", "pending")), revision: anything, voter: anything, rating: anything, at: anything, count: anything, sum: anything, articleKey: anything },
      { requiredKeys: ["type"] },
    );
    const line = fc.oneof(record.map((value) => JSON.stringify(value)), fc.json(), fc.string());
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (lines) => {
        const response = await admin("POST", "/import", { raw: lines.join("\n"), headers: NDJSON });
        expect(response.status).toBeLessThan(500);
        const body = await json(response);
        if (response.status === 200) expect(body.received).toBe(body.written.comments + body.written.votes + body.written.earlier + body.existing + body.ignored + body.skipped.length);
        else expect(typeof body.error.code).toBe("string");
      }),
      { numRuns: 150, seed: 20261127 },
    );
  }, 60_000);

  it("answers a bad request with a clear 4xx JSON error", async () => {
    expect(await errorCode(await admin("POST", "/import", { raw: "", headers: NDJSON }))).toBe("empty_import");
    const wrongType = await admin("POST", "/import", { raw: JSON.stringify(wordpressComment("1")), headers: { "Content-Type": "application/xml" } });
    expect(wrongType.status).toBe(415);
    expect(await errorCode(wrongType)).toBe("unsupported_media_type");
    const noToken = await call("POST", "/api/v1/admin/import", { raw: JSON.stringify(wordpressComment("1")), headers: NDJSON });
    expect(noToken.status).toBe(401);
    expect((await admin("GET", "/import")).status).toBe(405);
  });
});
