import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { ADMIN, articlePath, call, freshVoter, publish, vote } from "./support/api";
import { dumpKv } from "./support/kv";

/**
 * Property-based hostile input: random methods, paths, headers, content types and bodies on
 * every route. Never a 5xx, always the JSON error shape, and a rejected request changes nothing.
 */
const ARTICLE = "fuzz-target";
const usedIps = new Set<string>();
let commentId = "";

beforeAll(async () => {
  await vote(ARTICLE, freshVoter(), 4);
  commentId = (await publish(ARTICLE, { body: "fuzz anchor" })).comment.id;
});

afterAll(async () => {
  const stored = (await dumpKv(env.PLAUDIT)).join("\n");
  for (const ip of usedIps) expect(stored).not.toContain(ip);
  expect(stored).not.toContain(TEST_SECRETS.ADMIN_TOKEN);
});

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "\u0000", "%00", "%", "%E0%A4%A", "..", "../..", "\u202e", "😀".repeat(150), "x".repeat(5000)),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double(), fc.integer(), nasty, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(nasty, tie("value"), { maxKeys: 4 })),
})).value;
const fieldValue = fc.oneof(nasty, fc.integer({ min: -10, max: 10 }), fc.double(), fc.boolean(), fc.constant(null), json);
const bodyObject = fc.record(
  {
    voter: fieldValue,
    rating: fieldValue,
    author: fieldValue,
    body: fieldValue,
    email: fieldValue,
    website: fieldValue,
    parentId: fieldValue,
    editToken: fieldValue,
    status: fieldValue,
    __proto__: json,
    constructor: json,
  },
  { requiredKeys: [] },
);
const deeplyNested = fc.integer({ min: 100, max: 5000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth));
const rawBody = fc.oneof(
  bodyObject.map((value) => JSON.stringify(value)),
  json.map((value) => JSON.stringify(value)),
  nasty,
  deeplyNested,
  fc.integer({ min: 16 * 1024, max: 80 * 1024 }).map((size) => JSON.stringify({ body: "x".repeat(size) })),
  fc.constant('{"__proto__": {"admin": true}, "constructor": {"prototype": {"polluted": 1}}}'),
);
const segment = fc.oneof(nasty.map(encodeURIComponent), nasty, fc.constantFrom(ARTICLE, encodeURIComponent(ARTICLE), "vote", "comments", "admin", "counts", "export"));
const path = fc.oneof(
  fc.tuple(fc.constantFrom("/api/v1/articles/", "/api/v1/admin/comments/", "/api/v1/admin/articles/", "/api/v1/", "/"), fc.array(segment, { maxLength: 4 }), fc.constantFrom("", "/vote", "/comments", "/votes", "?cursor=-1&limit=1e9", "?status=__proto__")).map(
    ([prefix, parts, suffix]) => prefix + parts.join("/") + suffix,
  ),
  fc.constantFrom(articlePath(ARTICLE), articlePath(ARTICLE, "/vote"), articlePath(ARTICLE, "/comments"), "/api/v1/admin/comments", "/api/v1/admin/export"),
);
const request = fc.record({
  method: fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"),
  path,
  contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/json; charset=latin1", "APPLICATION/JSON"),
  body: fc.option(rawBody, { nil: undefined }),
  admin: fc.boolean(),
  origin: fc.option(fc.constantFrom("https://evil.example", "null", "https://blog.example"), { nil: undefined }),
  ip: fc.ipV4(),
});

it("survives any request on any route", async () => {
  await fc.assert(
    fc.asyncProperty(request, async (input) => {
      usedIps.add(input.ip);
      const headers: Record<string, string> = {};
      if (input.contentType) headers["Content-Type"] = input.contentType;
      if (input.admin) Object.assign(headers, ADMIN);
      const before = input.method === "GET" || input.method === "HEAD" ? null : await dumpKv(env.PLAUDIT);
      let url = input.path;
      if (url.startsWith("/api/v1/admin/comments/") && url.split("/").length === 5) url += `/${commentId}`;
      const response = await call(input.method, url, {
        raw: input.method === "GET" || input.method === "HEAD" ? undefined : input.body,
        headers,
        ip: input.ip,
        origin: input.origin,
      }).catch((error: unknown) => {
        throw new Error(`${input.method} ${url} threw ${String(error)}`);
      });
      expect(response.status, `${input.method} ${url}`).toBeLessThan(500);
      if (response.status >= 400 && input.method !== "HEAD") {
        const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
        expect(typeof body.error?.code, `${input.method} ${url}`).toBe("string");
        expect(typeof body.error?.message).toBe("string");
      } else await response.arrayBuffer();
      if (before && response.status >= 400) expect(await dumpKv(env.PLAUDIT), `${input.method} ${url} changed data`).toEqual(before);
    }),
    { numRuns: 600, seed: Number(process.env.FUZZ_SEED ?? 20261126) },
  );
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).admin).toBeUndefined();
}, 120_000);

it("keeps the anchor data intact after the storm", async () => {
  const view = await (await call("GET", articlePath(ARTICLE))).json<{ rating: { count: number }; comments: { items: { id: string }[] } }>();
  expect(view.rating.count).toBeGreaterThanOrEqual(1);
  expect(view.comments.items.map((c) => c.id)).toContain(commentId);
});
