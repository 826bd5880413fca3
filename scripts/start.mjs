#!/usr/bin/env node
// `npm start`: make sure local secrets exist, then serve the Worker with `wrangler dev`.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { resolve } from "node:path";

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
console.log(
  `Plaudit: demo article http://127.0.0.1:${port}/ · moderation http://127.0.0.1:${port}/admin (token: ADMIN_TOKEN in ${devVars})`,
);
const wrangler = spawn(
  "npx",
  ["wrangler", "dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", ".wrangler/state", ...process.argv.slice(2)],
  { stdio: "inherit", env: { WRANGLER_SEND_METRICS: "false", ...process.env } },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
