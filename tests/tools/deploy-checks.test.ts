import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decide, deployWarnings, parseDeployArgs, readSecretList } from "../../scripts/deploy-checks.mjs";

const bothSecrets = { secrets: new Set(["ADMIN_TOKEN", "HASH_SECRET"]) };

describe("npm run deploy's checks", () => {
  it("passes wrangler's own arguments through and notes the environment and overrides", () => {
    const args = parseDeployArgs(["--yes", "--env", "production", "--var", "ALLOWED_ORIGINS:https://a.example", "--config=other.toml", "--minify"]);
    expect(args).toEqual({
      yes: true,
      env: "production",
      config: "other.toml",
      vars: { ALLOWED_ORIGINS: "https://a.example" },
      wranglerArgs: ["--env", "production", "--var", "ALLOWED_ORIGINS:https://a.example", "--config=other.toml", "--minify"],
    });
    expect(parseDeployArgs([]).yes).toBe(false);
  });

  it('warns about ALLOWED_ORIGINS "*", and not about a list of sites', () => {
    expect(deployWarnings({ vars: { ALLOWED_ORIGINS: "*" }, secretCheck: bothSecrets })).toEqual([expect.stringContaining("ALLOWED_ORIGINS")]);
    expect(deployWarnings({ vars: { ALLOWED_ORIGINS: "https://a.example, *" }, secretCheck: bothSecrets })).toHaveLength(1);
    expect(deployWarnings({ vars: {}, secretCheck: bothSecrets })).toHaveLength(1);
    expect(deployWarnings({ vars: { ALLOWED_ORIGINS: "https://a.example,https://b.example" }, secretCheck: bothSecrets })).toEqual([]);
  });

  it("warns about each missing secret, and about public demo pages", () => {
    const vars = { ALLOWED_ORIGINS: "https://a.example" };
    const missing = deployWarnings({ vars, secretCheck: { secrets: new Set(["TURNSTILE_SECRET"]) } });
    expect(missing).toEqual([expect.stringContaining("HASH_SECRET is not set"), expect.stringContaining("ADMIN_TOKEN is not set")]);
    expect(deployWarnings({ vars: { ...vars, DEMO_PAGES: "on" }, secretCheck: bothSecrets })).toEqual([expect.stringContaining("DEMO_PAGES")]);
  });

  it("says what could not be checked when wrangler cannot list secrets", () => {
    const notLoggedIn = readSecretList({ status: 1, stdout: "", stderr: "✘ [ERROR] In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN" });
    expect(notLoggedIn).toEqual({ secrets: null, reason: expect.stringContaining("not logged in") });
    const offline = readSecretList({ status: 1, stdout: "", stderr: "TypeError: fetch failed\n  getaddrinfo ENOTFOUND api.cloudflare.com" });
    expect(offline).toEqual({ secrets: null, reason: expect.stringContaining("could not be reached") });
    expect(deployWarnings({ vars: { ALLOWED_ORIGINS: "https://a.example" }, secretCheck: offline })).toEqual([
      expect.stringContaining("Could not check whether ADMIN_TOKEN and HASH_SECRET are set"),
    ]);
  });

  it("reads wrangler's list, and a Worker not deployed yet has no secrets", () => {
    const listed = readSecretList({ status: 0, stdout: '[{"name":"HASH_SECRET","type":"secret_text"}]', stderr: "" });
    expect(listed.secrets && [...listed.secrets]).toEqual(["HASH_SECRET"]);
    const firstDeploy = readSecretList({ status: 1, stdout: "", stderr: "This Worker does not exist on your account. [code: 10007]" });
    expect(firstDeploy.secrets?.size).toBe(0);
  });

  it("deploys without asking when all is well; otherwise asks, and without a terminal only --yes goes on", () => {
    expect(decide({ warnings: [], yes: false, interactive: false })).toBe("deploy");
    expect(decide({ warnings: ["x"], yes: false, interactive: true })).toBe("ask");
    expect(decide({ warnings: ["x"], yes: false, interactive: false })).toBe("refuse");
    expect(decide({ warnings: ["x"], yes: true, interactive: false })).toBe("deploy");
  });

  it("stops, without hanging, when run in CI with this repository's wrangler.toml and no login", () => {
    // A home with no wrangler login and no API token: nothing on a real account is touched.
    const home = mkdtempSync(join(tmpdir(), "plaudit-deploy-"));
    const { CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ...env } = process.env;
    try {
      const run = spawnSync(process.execPath, ["scripts/deploy.mjs"], {
        encoding: "utf8",
        env: { ...env, HOME: home, XDG_CONFIG_HOME: home, CI: "true" },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 60_000,
      });
      const output = run.stdout + run.stderr;
      expect(run.status, output).toBe(1);
      expect(output).toContain('ALLOWED_ORIGINS is "*"');
      expect(output).toContain("Could not check whether ADMIN_TOKEN and HASH_SECRET are set");
      expect(output).toContain("npm run deploy -- --yes");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
