import { app } from "./app";

export { WriteSlots } from "./coordination/write-slots";
export { ArticleWriter } from "./writer/article-writer";
export { CommentCounts } from "./comments/counts";

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    // The cron's code is a module of its own, loaded by the first cron run in an isolate: a cold
    // start for a request never compiles it.
    const { runScheduled } = await import("./scheduled");
    const rounds = Number(env.HOT_RECOUNTS_PER_MINUTE);
    await runScheduled(controller, env, Number.isInteger(rounds) && rounds >= 1 && rounds <= 4 ? { hotRounds: rounds } : {});
  },
} satisfies ExportedHandler<Env>;
