import { app } from "./app";
import { runScheduled } from "./scheduled";

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runScheduled(controller, env);
  },
} satisfies ExportedHandler<Env>;
