import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkBuild, fingerprint, stampBuild } from "../../scripts/build-stamp.mjs";
import { wranglerDevArgs } from "../../scripts/wrangler-dev.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

describe("the build's up-to-date check", () => {
  const project = () => {
    const dir = tempDir("plaudit-stamp-");
    cpSync(join(root, "widget/locales"), join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "out.js"), "built");
    return { root: dir, stampFile: join(dir, "stamp.json"), inputs: ["src"], outputs: ["out.js"] };
  };

  it("finds nothing to do only when inputs and outputs are exactly as the last build left them", () => {
    const build = project();
    const first = checkBuild(build);
    expect(first.upToDate).toBe(false);
    stampBuild({ ...build, inputs: first.inputs });
    expect(checkBuild(build).upToDate).toBe(true);

    writeFileSync(join(build.root, "src/rating/en.json"), "{}");
    expect(checkBuild(build).upToDate).toBe(false);
    stampBuild({ ...build, inputs: checkBuild(build).inputs });
    writeFileSync(join(build.root, "src/new.json"), "{}");
    expect(checkBuild(build).upToDate, "a new input file").toBe(false);
    stampBuild({ ...build, inputs: checkBuild(build).inputs });
    rmSync(join(build.root, "out.js"));
    expect(checkBuild(build).upToDate, "an output removed since").toBe(false);
  });

  it("builds again when an input changed while the last build ran", () => {
    const build = project();
    const before = checkBuild(build).inputs;
    writeFileSync(join(build.root, "src/rating/de.json"), "{}"); // edited mid-build
    stampBuild({ ...build, inputs: before });
    expect(checkBuild(build).upToDate).toBe(false);
  });

  it("hashes names as well as contents", () => {
    const a = tempDir("plaudit-stamp-");
    writeFileSync(join(a, "x"), "same");
    const before = fingerprint(a, ["."]);
    rmSync(join(a, "x"));
    writeFileSync(join(a, "y"), "same");
    expect(fingerprint(a, ["."])).not.toBe(before);
  });
});

describe("npm start on a fresh clone", () => {
  it("builds once, then serves", async () => {
    // A copy of the project with nothing built, as `git clone && npm ci` leaves it.
    const clone = tempDir("plaudit-clone-");
    for (const path of ["widget", "worker", "scripts", "wrangler.toml", "package.json", "package-lock.json", "tsconfig.json"]) {
      cpSync(join(root, path), join(clone, path), { recursive: true });
    }
    symlinkSync(join(root, "node_modules"), join(clone, "node_modules"), "dir");
    const port = await freePort();
    const wrangler = spawn(process.execPath, ["node_modules/wrangler/bin/wrangler.js", ...wranglerDevArgs({ port, persistTo: join(clone, ".wrangler/state") })], {
      cwd: clone,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    wrangler.stdout.on("data", (chunk) => (output += chunk));
    wrangler.stderr.on("data", (chunk) => (output += chunk));
    try {
      const deadline = Date.now() + 100_000;
      let served = false;
      while (!served && Date.now() < deadline && wrangler.exitCode === null) {
        served = await fetch(`http://127.0.0.1:${port}/`).then((response) => response.ok, () => false);
        if (!served) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(served, output).toBe(true);
      // wrangler 4.86 runs the build command again once its file watcher is ready; give that run
      // time to finish before counting (a wrangler that no longer runs it leaves one build).
      const runs = () => output.match(/Built dist\/|up to date/g)?.length ?? 0;
      const settle = Date.now() + 10_000;
      while (runs() < 2 && Date.now() < settle) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(readFileSync(join(clone, "dist/embed.js"), "utf8")).toContain("plaudit-rating");
      expect(output.match(/Built dist\//g), output).toHaveLength(1);
    } finally {
      if (wrangler.exitCode === null) {
        wrangler.kill("SIGTERM");
        await once(wrangler, "exit");
      }
    }
  }, 120_000);
});
