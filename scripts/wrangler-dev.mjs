// The `wrangler dev` command line of `npm start`, shared with the browser tests so they serve the
// Worker exactly as a developer does.

/** The cron command the README gives; `--test-scheduled` is what makes wrangler dev answer it. */
export const SCHEDULED_PATH = "/__scheduled";

/**
 * @param {{ port: string | number; persistTo: string; demoPages?: boolean; vars?: Record<string, string> }} options
 * @returns {string[]} arguments after `wrangler`
 */
export function wranglerDevArgs({ port, persistTo, demoPages = true, vars = {} }) {
  const allVars = demoPages ? { DEMO_PAGES: "on", ...vars } : vars;
  return [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    persistTo,
    "--test-scheduled",
    ...Object.entries(allVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
}
