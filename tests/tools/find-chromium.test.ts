import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { browserSkippedMessage, findChromium } from "../../scripts/find-chromium.mjs";

const root = mkdtempSync(join(tmpdir(), "plaudit-find-chromium-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A directory holding fake executables (and, optionally, a non-executable file). */
function dir(name: string, executables: string[], plainFiles: string[] = []): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  for (const file of executables) {
    mkdirSync(join(path, file, ".."), { recursive: true });
    writeFileSync(join(path, file), "#!/bin/sh\n");
    chmodSync(join(path, file), 0o755);
  }
  for (const file of plainFiles) writeFileSync(join(path, file), "");
  return path;
}

const linux = (PATH: string, extra: Record<string, string> = {}) => findChromium({ env: { PATH, ...extra }, platform: "linux", home: root });

describe("finding the developer's browser", () => {
  it("prefers CHROMIUM_PATH over anything on PATH", () => {
    const bin = dir("prefer", ["chromium", "my-chrome"]);
    expect(linux(bin, { CHROMIUM_PATH: join(bin, "my-chrome") })).toEqual({ path: join(bin, "my-chrome") });
  });

  it("reports a CHROMIUM_PATH that does not work instead of quietly using another browser", () => {
    const bin = dir("wrong", ["chromium"]);
    const result = linux(bin, { CHROMIUM_PATH: join(bin, "nope") });
    expect(result.path).toBeNull();
    expect(result.problem).toContain("CHROMIUM_PATH");
  });

  it("looks for chromium, then chromium-browser, then google-chrome, across PATH", () => {
    const first = dir("a", ["google-chrome"]);
    const second = dir("b", ["chromium-browser"]);
    expect(linux([first, second].join(":"))).toEqual({ path: join(second, "chromium-browser") });
    expect(linux(first)).toEqual({ path: join(first, "google-chrome") });
  });

  it("skips files that are not executable", () => {
    const bin = dir("plain", [], ["chromium"]);
    expect(linux(bin)).toEqual({ path: null });
  });

  it("finds Chrome in ~/Applications on macOS, and only on macOS", () => {
    const home = dir("mac-home", ["Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]);
    const empty = dir("empty", []);
    expect(findChromium({ env: { PATH: empty }, platform: "darwin", home })).toEqual({
      path: join(home, "Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
    });
    expect(findChromium({ env: { PATH: empty }, platform: "linux", home })).toEqual({ path: null });
  });

  it("says what was skipped and how to turn it on", () => {
    const message = browserSkippedMessage(undefined);
    expect(message).toContain("SKIPPED the browser suite");
    expect(message).toContain("CHROMIUM_PATH");
    expect(message).toContain("PLAUDIT_REQUIRE_BROWSER=1");
  });
});
