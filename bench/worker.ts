/**
 * The benchmark's Worker: the real Plaudit Worker, with its KV binding wrapped in a counter that
 * reports each request's KV operations in an `X-KV-Ops` header and takes settings from an
 * `X-Bench-Env` header, plus a seeding route that writes large articles straight into KV (bench
 * only; never deployed).
 */
import { commentKeys } from "../worker/comments/keys";
import { newCommentId, type StoredComment } from "../worker/comments/model";
import worker from "../worker/index";
import { privateId, publicId } from "../worker/lib/hash";
import { eachLimited } from "../worker/lib/kv";
import { ratingKeys, type StoredAggregate } from "../worker/ratings/keys";
import { countVotes } from "../worker/ratings/recount";
import { countingKv } from "../tests/worker/support/kv";
import { countingSlots } from "../tests/worker/support/slots";
import { runScheduled } from "../worker/scheduled";
import { askWriter } from "../worker/writer/client";

/** One run of the minute cron with counted KV operations, without its waits between hot recounts. */
async function cron(url: URL, env: Env): Promise<Response> {
  const metered = countingKv(env.PLAUDIT);
  const slots = countingSlots(env.WRITE_SLOTS);
  const scheduledTime = Number(url.searchParams.get("at") ?? Date.now());
  const controller = { cron: "* * * * *", scheduledTime, noRetry() {} } as ScheduledController;
  const report = await runScheduled(controller, { ...env, PLAUDIT: metered.kv, WRITE_SLOTS: slots.namespace }, { sleep: async () => {} });
  return Response.json({ report }, { headers: { "X-KV-Ops": JSON.stringify({ ...metered.counts, objectRequests: slots.requests() }) } });
}

async function seed(url: URL, env: Env): Promise<Response> {
  const article = url.searchParams.get("article")!;
  const votes = Number(url.searchParams.get("votes") ?? 0);
  const comments = Number(url.searchParams.get("comments") ?? 0);
  const kv = env.PLAUDIT;
  const a = await publicId(article);
  const now = Date.now();
  await eachLimited(
    Array.from({ length: votes }, (_, i) => i),
    32,
    async (i) => kv.put(ratingKeys.vote(a, await privateId("bench", "voter", `${article}-${i}`)), "", { metadata: { r: (i % 5) + 1, t: now } }),
  );
  const { histogram } = await countVotes(kv, a, now);
  const aggregate: StoredAggregate = { article, histogram, updatedAt: now };
  await kv.put(ratingKeys.aggregate(a), JSON.stringify(aggregate), { metadata: { t: now, h: histogram } });
  // Through the article's writer, as an import: stored, and shown in its thread at once.
  const ref = { a, article };
  for (let start = 0; start < comments; start += 200) {
    const batch = Array.from({ length: Math.min(200, comments - start) }, (_, j): StoredComment => {
      const i = start + j;
      return {
        id: newCommentId(now + i),
        article,
        parentId: null,
        author: `Reader ${i}`,
        email: null,
        website: null,
        body: `Seeded comment number ${i}: long enough to look like a real one, about a sentence or two of text.`,
        createdAt: now + i,
        editedAt: null,
        status: "approved",
        editTokenHash: "bench",
        ipHash: "bench",
      };
    });
    await askWriter(env, ref, (writer) => writer.importComments(ref, batch));
  }
  return Response.json({ article, votes, comments, threadKey: commentKeys.head(a) });
}

export { ArticleWriter, WriteSlots } from "../worker/index";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/seed") return seed(url, env);
    if (url.pathname === "/__bench/cron") return cron(url, env);
    const metered = countingKv(env.PLAUDIT);
    const slots = countingSlots(env.WRITE_SLOTS);
    // Lets one bench run compare settings (MODERATION=post) without restarting the Worker.
    const settings = JSON.parse(request.headers.get("X-Bench-Env") ?? "{}") as Partial<Env>;
    // Local KV takes any number of writes a second: turns cost their request to the coordinator but
    // no wait, so the speed runs measure the Worker (production spaces one key's writes 1.5 s apart).
    const response = await worker.fetch(request, { ...env, KV_WRITE_GAP_MS: "0", ...settings, PLAUDIT: metered.kv, WRITE_SLOTS: slots.namespace }, ctx);
    const headers = new Headers(response.headers);
    // The export streams: its reads happen while the body is sent, so count them to the end first.
    const body = response.headers.get("Content-Type")?.includes("ndjson") ? await response.arrayBuffer() : response.body;
    headers.set("X-KV-Ops", JSON.stringify({ ...metered.counts, objectRequests: slots.requests() }));
    return new Response(body, { status: response.status, headers });
  },
} satisfies ExportedHandler<Env>;
