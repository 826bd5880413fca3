// Where the browser tests find a Chromium: the one a developer already has, never a download.
import { accessSync, constants, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

export const BROWSER_COMMANDS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const MAC_APPS = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium"];

/** @param {string} path */
function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * CHROMIUM_PATH, else the first of BROWSER_COMMANDS on PATH, else Chrome or Chromium in macOS's
 * Applications folders.
 * @param {{ env?: Record<string, string | undefined>; platform?: string; home?: string; isExecutable?: (path: string) => boolean }} [options]
 * @returns {{ path: string; problem?: undefined } | { path: null; problem?: string }}
 */
export function findChromium({ env = process.env, platform = process.platform, home = homedir(), isExecutable = isExecutableFile } = {}) {
  const chosen = env.CHROMIUM_PATH?.trim();
  if (chosen) {
    // An explicit choice that does not work is a mistake to report, not a reason to pick another.
    return isExecutable(chosen) ? { path: chosen } : { path: null, problem: `CHROMIUM_PATH=${chosen} is not an executable file` };
  }
  const dirs = (env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const command of BROWSER_COMMANDS) {
    for (const dir of dirs) {
      const path = join(dir, command);
      if (isExecutable(path)) return { path };
    }
  }
  if (platform === "darwin") {
    for (const apps of ["/Applications", join(home, "Applications")]) {
      for (const app of MAC_APPS) {
        const path = join(apps, app);
        if (isExecutable(path)) return { path };
      }
    }
  }
  return { path: null };
}

/** @param {string | undefined} problem */
export function browserSkippedMessage(problem) {
  const bar = "!".repeat(78);
  return [
    bar,
    `!! SKIPPED the browser suite (tests/browser): ${problem ?? "no Chromium or Chrome found"}.`,
    `!! Looked for CHROMIUM_PATH, then ${BROWSER_COMMANDS.join(", ")} on PATH, then Chrome on macOS.`,
    "!! To run it: install one (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH.",
    "!! Set PLAUDIT_REQUIRE_BROWSER=1 to make a missing browser fail the run (CI does).",
    bar,
  ].join("\n");
}

/** @param {Record<string, string | undefined>} env */
export const browserRequired = (env = process.env) => env.PLAUDIT_REQUIRE_BROWSER === "1";
