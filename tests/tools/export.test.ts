import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiBase, resolveToken } from "../../scripts/import/admin-api.mjs";
import { exportAll } from "../../scripts/export.mjs";

const root = mkdtempSync(join(tmpdir(), "plaudit-export-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in for the Worker's export: three pages, the second cut short on its first try. */
function pagedExport() {
  const pages: Record<string, string[]> = {
    "": ['{"type":"export","version":1}', '{"type":"vote","rating":4}', '{"type":"continue","cursor":"p2"}'],
    p2: ['{"type":"vote","rating":5}', '{"type":"continue","cursor":"p3"}'],
    p3: ['{"type":"comment","body":"last"}'],
  };
  const seen: string[] = [];
  let cutShort = false;
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const { searchParams } = new URL(String(url));
    const cursor = searchParams.get("cursor") ?? "";
    seen.push(`${cursor}:${new Headers(init?.headers).get("Authorization")}`);
    if (cursor === "p2" && !cutShort) {
      cutShort = true;
      const body = new ReadableStream({ start: (controller) => { controller.enqueue(new TextEncoder().encode('{"type":"vo')); controller.error(new Error("connection reset")); } });
      return new Response(body, { status: 200 });
    }
    return new Response(`${pages[cursor]!.join("\n")}\n`, { status: 200 });
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

describe("npm run export", () => {
  it("follows the cursor to the end, asks again for a page cut short, and writes each record once", async () => {
    const server = pagedExport();
    let out = "";
    const result = await exportAll({ api: "https://plaudit.example/", token: "tok", write: (text) => void (out += text), fetch: server.fetch, pause: 1 });
    expect(out.trim().split("\n").map((line) => JSON.parse(line).type)).toEqual(["export", "vote", "vote", "comment"]);
    expect(out).not.toContain("continue");
    expect(result).toEqual({ records: 4, pages: 3 });
    expect(server.seen).toEqual([":Bearer tok", "p2:Bearer tok", "p2:Bearer tok", "p3:Bearer tok"]);
  });

  it("stops on a refusal it cannot fix by retrying, with the Worker's message", async () => {
    const fetch = (async () => new Response('{"error":{"code":"unauthorized","message":"A valid admin token is required."}}', { status: 401 })) as typeof globalThis.fetch;
    await expect(exportAll({ token: "wrong", write: () => {}, fetch, pause: 1 })).rejects.toThrow("401 unauthorized: A valid admin token is required.");
  });
});

describe("the admin token and address", () => {
  it("takes --token, else PLAUDIT_ADMIN_TOKEN, else ADMIN_TOKEN from .dev.vars", () => {
    const devVars = join(root, ".dev.vars");
    writeFileSync(devVars, 'HASH_SECRET=x\nADMIN_TOKEN="from-dev-vars"\n');
    expect(resolveToken({ token: "flag", env: { PLAUDIT_ADMIN_TOKEN: "env" }, devVars })).toBe("flag");
    expect(resolveToken({ env: { PLAUDIT_ADMIN_TOKEN: "env" }, devVars })).toBe("env");
    expect(resolveToken({ env: {}, devVars })).toBe("from-dev-vars");
    expect(() => resolveToken({ env: {}, devVars: join(root, "missing") })).toThrow(/--token/);
  });

  it("accepts the Worker's address with or without /api/v1", () => {
    expect(apiBase("https://p.example.workers.dev")).toBe("https://p.example.workers.dev/api/v1");
    expect(apiBase("https://p.example.workers.dev/api/v1/")).toBe("https://p.example.workers.dev/api/v1");
    expect(() => apiBase("localhost:8787")).toThrow(/--api must be a URL/);
  });
});
