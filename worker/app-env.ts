import type { Settings } from "./config";

/** What every route and middleware sees: the Worker's bindings and the parsed settings. */
export interface AppEnv {
  Bindings: Env;
  Variables: { settings: Settings };
}
