#!/usr/bin/env node
// `npm start`: make sure local secrets exist, then serve the Worker with `wrangler dev`.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { SCHEDULED_PATH, wranglerDevArgs } from "./wrangler-dev.mjs";

const devVars = resolve(".dev.vars");
if (!existsSync(devVars)) {
  const secret = () => randomBytes(24).toString("base64url");
  writeFileSync(
    devVars,
    [
      "# Written by `npm start` because .dev.vars was missing. See .dev.vars.example.",
      `ADMIN_TOKEN=${secret()}`,
      `HASH_SECRET=${secret()}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  console.log(`Created ${devVars} with a random ADMIN_TOKEN and HASH_SECRET (your admin token is in there).`);
}

const port = process.env.PORT || "8787";
const local = `http://127.0.0.1:${port}`;
console.log(
  [
    `Plaudit: demo article ${local}/ · moderation ${local}/admin (token: ADMIN_TOKEN in ${devVars})`,
    `The cron runs every minute, as on Cloudflare; run it now with: curl "${local}${SCHEDULED_PATH}?cron=*+*+*+*+*"`,
  ].join("\n"),
);
// wrangler's own launcher rather than npx, which does not pass SIGTERM on to it.
const wrangler = spawn(
  process.execPath,
  ["node_modules/wrangler/bin/wrangler.js", ...wranglerDevArgs({ port, persistTo: ".wrangler/state" }), ...process.argv.slice(2)],
  { stdio: "inherit", env: { WRANGLER_SEND_METRICS: "false", ...process.env } },
);

// wrangler dev never fires crons on its own; the Worker relies on its minute cron (hot articles'
// counts, the periodic sweep), so fire it at the start of every minute, as Cloudflare would.
const cronUrl = `${local}${SCHEDULED_PATH}?cron=${encodeURIComponent("* * * * *")}`;
let ticker;
const tick = () => {
  fetch(cronUrl).catch(() => {}); // not listening yet, or restarting: the next minute tries again
  ticker = setTimeout(tick, 60_000 - (Date.now() % 60_000));
};
ticker = setTimeout(tick, 60_000 - (Date.now() % 60_000));

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code, signal) => {
  clearTimeout(ticker);
  process.exit(code ?? (signal ? 1 : 0));
});
