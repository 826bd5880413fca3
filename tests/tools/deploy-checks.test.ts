import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decide, deployWarnings, newSecretValue, parseDeployArgs, readSecretList, secretsToCreate } from "../../scripts/deploy-checks.mjs";
import { runDeploy } from "../../scripts/deploy-flow.mjs";

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

  it("warns about each missing secret it will not create, and about public demo pages", () => {
    const vars = { ALLOWED_ORIGINS: "https://a.example" };
    const secretCheck = { secrets: new Set(["TURNSTILE_SECRET"]) };
    const missing = deployWarnings({ vars, secretCheck });
    expect(missing).toEqual([expect.stringContaining("HASH_SECRET is not set"), expect.stringContaining("ADMIN_TOKEN is not set")]);
    expect(deployWarnings({ vars, secretCheck, creating: ["HASH_SECRET", "ADMIN_TOKEN"] })).toEqual([]);
    expect(deployWarnings({ vars, secretCheck, creating: ["HASH_SECRET"] })).toEqual([expect.stringContaining("run it once from a terminal")]);
    expect(deployWarnings({ vars: { ...vars, DEMO_PAGES: "on" }, secretCheck: bothSecrets })).toEqual([expect.stringContaining("DEMO_PAGES")]);
  });

  it("creates the missing secrets, the admin token only where someone can see it", () => {
    const none = { secrets: new Set<string>() };
    expect(secretsToCreate({ secretCheck: none, interactive: true })).toEqual(["HASH_SECRET", "ADMIN_TOKEN"]);
    expect(secretsToCreate({ secretCheck: none, interactive: false })).toEqual(["HASH_SECRET"]);
    expect(secretsToCreate({ secretCheck: bothSecrets, interactive: true })).toEqual([]);
    expect(secretsToCreate({ secretCheck: { secrets: null, reason: "offline" }, interactive: true })).toEqual([]);
    const values = new Set(Array.from({ length: 20 }, newSecretValue));
    expect(values.size).toBe(20);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
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

type Call = { args: string[]; input?: string };

/**
 * A stand-in for wrangler: answers `secret list` as told, records every call with its stdin, and
 * fails the commands listed in `failing`. Everything said and run lands in one `events` list, in order.
 */
function fakeWrangler({ listed = "[]", listStatus = 0, failing = [] as string[], deployStatus = 0 } = {}) {
  const calls: Call[] = [];
  const events: string[] = [];
  const wrangler = async (args: string[], options: { input?: string; inherit?: boolean } = {}) => {
    calls.push({ args, input: options.input });
    events.push(`wrangler ${args.join(" ")}`);
    const command = args.slice(0, args[0] === "secret" ? 3 : 1).join(" ");
    if (failing.includes(command)) return { status: 1, stdout: "", stderr: `✘ [ERROR] ${command}: A request to the Cloudflare API failed.` };
    if (args[0] === "secret" && args[1] === "list") {
      return listStatus === 0 ? { status: 0, stdout: listed, stderr: "" } : { status: listStatus, stdout: "", stderr: "This Worker does not exist on your account. [code: 10007]" };
    }
    return { status: args[0] === "deploy" ? deployStatus : 0, stdout: "", stderr: "" };
  };
  const say = (text: string) => void events.push(text);
  return { wrangler, calls, events, out: { log: say, warn: say, error: say }, puts: () => calls.filter((call) => call.args[1] === "put") };
}

async function deployWith(fake: ReturnType<typeof fakeWrangler>, { argv = [] as string[], interactive = true, vars = { ALLOWED_ORIGINS: "https://blog.example" } as Record<string, unknown>, answer = "n" } = {}) {
  const asked: string[] = [];
  const code = await runDeploy({
    argv,
    interactive,
    wrangler: fake.wrangler,
    readConfig: () => ({ name: "plaudit", vars }),
    ask: async (question) => (asked.push(question), answer),
    out: fake.out,
  });
  return { code, asked, said: fake.events.join("\n") };
}

describe("npm run deploy's secrets", () => {
  it("on a first deploy creates both secrets, shows the admin token once after wrangler's output, and never HASH_SECRET", async () => {
    const fake = fakeWrangler({ listStatus: 1 });
    const { code, said } = await deployWith(fake);
    expect(code).toBe(0);
    expect(fake.calls.map((call) => call.args.slice(0, 3).join(" "))).toEqual(["secret list --format", "secret put HASH_SECRET", "secret put ADMIN_TOKEN", "deploy"]);
    const [hashSecret, adminToken] = fake.puts().map((call) => call.input!);
    expect(hashSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(said).not.toContain(hashSecret);
    expect(said.split(adminToken!)).toHaveLength(2);
    // After the deploy's own output, where it cannot scroll out of sight...
    const shownAt = fake.events.findIndex((event) => event.includes(adminToken!));
    expect(shownAt).toBeGreaterThan(fake.events.indexOf("wrangler deploy"));
    // ...with where it is used and how to replace it.
    expect(fake.events[shownAt]).toMatch(/shown this once/);
    expect(fake.events[shownAt]).toContain("/admin");
    expect(fake.events[shownAt]).toContain("npx wrangler secret put ADMIN_TOKEN");
    expect(fake.events[shownAt]).toContain("npx wrangler secret delete ADMIN_TOKEN && npm run deploy");
  });

  it("never touches secrets the Worker has, and shows no token", async () => {
    const fake = fakeWrangler({ listed: JSON.stringify([{ name: "HASH_SECRET" }, { name: "ADMIN_TOKEN" }]) });
    const { code, said } = await deployWith(fake);
    expect(code).toBe(0);
    expect(fake.puts()).toEqual([]);
    expect(said).not.toMatch(/admin token/i);
  });

  it("creates only the one that is missing", async () => {
    const fake = fakeWrangler({ listed: JSON.stringify([{ name: "ADMIN_TOKEN" }]) });
    const { said } = await deployWith(fake);
    expect(fake.puts().map((call) => call.args[2])).toEqual(["HASH_SECRET"]);
    expect(said).not.toContain(fake.puts()[0]!.input);
    expect(said).toContain("Created HASH_SECRET");
  });

  it("creates nothing when the owner declines to deploy past a warning", async () => {
    const fake = fakeWrangler({ listStatus: 1 });
    const { code, asked } = await deployWith(fake, { vars: { ALLOWED_ORIGINS: "*" }, answer: "n" });
    expect(asked).toEqual(["Deploy anyway? [y/N] "]);
    expect(code).toBe(1);
    expect(fake.calls.map((call) => call.args[0] + " " + call.args[1])).toEqual(["secret list"]);
  });

  it("without a terminal makes HASH_SECRET but prints no admin token into a log, and says how to get one", async () => {
    const refused = fakeWrangler();
    const stopped = await deployWith(refused, { interactive: false });
    expect(stopped.code).toBe(1);
    expect(refused.puts()).toEqual([]);
    expect(stopped.said).toContain("run it once from a terminal");

    const forced = fakeWrangler();
    const deployed = await deployWith(forced, { interactive: false, argv: ["--yes"] });
    expect(deployed.code).toBe(0);
    expect(forced.puts().map((call) => call.args[2])).toEqual(["HASH_SECRET"]);
    expect(deployed.said).not.toContain(forced.puts()[0]!.input);
    expect(deployed.said).not.toMatch(/shown this once/);
  });

  it("stops before deploying when a secret cannot be created, saying wrangler's reason", async () => {
    const fake = fakeWrangler({ failing: ["secret put HASH_SECRET"] });
    const { code, said } = await deployWith(fake);
    expect(code).toBe(1);
    expect(said).toContain("Could not create HASH_SECRET");
    expect(said).toContain("A request to the Cloudflare API failed");
    expect(fake.calls.some((call) => call.args[0] === "deploy")).toBe(false);
    expect(fake.calls.some((call) => call.args[2] === "ADMIN_TOKEN")).toBe(false);
  });

  it("shows the token it set even when the deploy itself fails", async () => {
    const fake = fakeWrangler({ deployStatus: 1 });
    const { code, said } = await deployWith(fake);
    expect(code).toBe(1);
    const adminToken = fake.puts().find((call) => call.args[2] === "ADMIN_TOKEN")!.input!;
    expect(said.split(adminToken)).toHaveLength(2);
  });

  it("works on the environment being deployed, and says so in the commands it shows", async () => {
    const fake = fakeWrangler();
    const { said } = await deployWith(fake, { argv: ["--env", "production"] });
    for (const call of fake.calls) expect(call.args.join(" ")).toContain("--env production");
    expect(said).toContain("npx wrangler secret put ADMIN_TOKEN --env production");
    expect(said).toContain("npm run deploy -- --env production");
  });
});
