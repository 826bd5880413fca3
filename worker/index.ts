import { app } from "./app";
import { runScheduled } from "./scheduled";

export { WriteSlots } from "./coordination/write-slots";

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const rounds = Number(env.HOT_RECOUNTS_PER_MINUTE);
    await runScheduled(controller, env, Number.isInteger(rounds) && rounds >= 1 && rounds <= 4 ? { hotRounds: rounds } : {});
  },
} satisfies ExportedHandler<Env>;
