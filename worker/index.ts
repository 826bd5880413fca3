import { app } from "./app";
import { runScheduled } from "./scheduled";

export default {
  fetch: app.fetch,
  scheduled: (controller, env) => runScheduled(controller, env),
} satisfies ExportedHandler<Env>;
