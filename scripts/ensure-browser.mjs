#!/usr/bin/env node
// First step of `npm test`: make sure the browser suite has a Chromium, installing Debian's when
// we may (root with apt), else warn that it will be skipped, or fail if it is required.
import { spawnSync } from "node:child_process";
import { browserRequired, browserSkippedMessage, findChromium } from "./find-chromium.mjs";

const onPath = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

let found = findChromium();
if (!found.path && !found.problem && process.getuid?.() === 0 && onPath("apt-get")) {
  console.log("No Chromium found: installing Debian's chromium package (apt-get)...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  if (update.status === 0) spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  found = findChromium();
}

if (found.path) {
  console.log(`Browser tests will use ${found.path}`);
} else if (browserRequired()) {
  console.error(`The browser suite is required (PLAUDIT_REQUIRE_BROWSER=1) but cannot run: ${found.problem ?? "no Chromium or Chrome found"}.`);
  process.exit(1);
} else {
  console.warn(browserSkippedMessage(found.problem));
}
