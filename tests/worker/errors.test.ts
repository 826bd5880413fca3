import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { articlePath, call, errorCode, freshVoter, expectRating, readRating, vote } from "./support/api";
import { faultyKv } from "./support/kv";

const votePath = articlePath("errors", "/vote");

describe("bad input gets a JSON error with the right status", () => {
  it.each([
    ["malformed JSON", "{\"voter\": ", "invalid_json"],
    ["a JSON array", "[1,2]", "invalid_json"],
    ["a JSON string", "\"hello\"", "invalid_json"],
    ["JSON null", "null", "invalid_json"],
    ["an empty body", "", "invalid_json"],
  ])("%s → 400", async (_, raw, code) => {
    const response = await call("PUT", votePath, { raw, headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe(code);
  });

  it("a body that is not declared as JSON → 400 invalid_json", async () => {
    const raw = JSON.stringify({ voter: freshVoter(), rating: 4 });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", ""]) {
      const response = await call("PUT", votePath, { raw, headers: type ? { "Content-Type": type } : {} });
      expect(response.status, type).toBe(400);
      expect(await errorCode(response)).toBe("invalid_json");
    }
  });

  it("accepts JSON with a charset parameter", async () => {
    const raw = JSON.stringify({ voter: freshVoter(), rating: 4 });
    const response = await call("PUT", votePath, { raw, headers: { "Content-Type": "application/json; charset=utf-8" } });
    expect(response.status).toBe(200);
  });

  it.each([0, 6, 4.5, "4", null, true, [4], -1, 1e308])("rating %j → 400 invalid_rating", async (rating) => {
    const response = await vote("errors", freshVoter(), rating);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_rating");
  });

  it("a missing rating → 400 invalid_rating", async () => {
    const response = await call("PUT", votePath, { body: { voter: freshVoter() } });
    expect(await errorCode(response)).toBe("invalid_rating");
  });

  it.each(["short", "x".repeat(65), "has spaces in it!!", "ünïcödé-ünïcödé-ü", 1234567890123456789])(
    "voter %j → 400 invalid_voter",
    async (voter) => {
      const response = await call("PUT", votePath, { body: { voter, rating: 3 } });
      expect(response.status).toBe(400);
      expect(await errorCode(response)).toBe("invalid_voter");
    },
  );

  it("a missing voter on retract → 400 invalid_voter", async () => {
    const response = await call("DELETE", votePath, { body: {} });
    expect(await errorCode(response)).toBe("invalid_voter");
  });

  it("a body over 16 KiB → 413, with or without Content-Length", async () => {
    const raw = JSON.stringify({ voter: freshVoter(), rating: 3, padding: "x".repeat(17 * 1024) });
    const response = await call("PUT", votePath, { raw, headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe("payload_too_large");

    const chunked = await call("PUT", votePath, { raw: new Blob([raw]).stream(), headers: { "Content-Type": "application/json" } });
    expect(chunked.status).toBe(413);
    expect(await errorCode(chunked)).toBe("payload_too_large");
  });

  it("rejected writes leave stored data alone", async () => {
    await vote("untouched", freshVoter(), 5);
    await vote("untouched", freshVoter(), 0);
    await call("PUT", articlePath("untouched", "/vote"), { raw: "{oops", headers: { "Content-Type": "application/json" } });
    await expectRating("untouched", { count: 1, sum: 5 });
  });
});

describe("routing", () => {
  it("an unknown route → 404 not_found", async () => {
    for (const path of ["/api/v1/nope", "/api/v2/articles/x", "/api/v1/articles/a/b/c"]) {
      const response = await call("GET", path);
      expect(response.status, path).toBe(404);
      expect(await errorCode(response)).toBe("not_found");
    }
  });

  it("a wrong method → 405 method_not_allowed with an Allow header", async () => {
    const post = await call("POST", votePath, { body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get("Allow")).toBe("PUT, DELETE");
    expect(await errorCode(post)).toBe("method_not_allowed");

    const put = await call("PUT", articlePath("x"), { body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("Allow")).toBe("GET, HEAD");
  });

  it("answers a health check without touching storage", async () => {
    const { countingKv } = await import("./support/kv");
    const metered = countingKv(env.PLAUDIT);
    const response = await call("GET", "/api/v1/health", { env: { PLAUDIT: metered.kv } });
    expect(await response.json()).toEqual({ ok: true });
    expect(metered.counts).toEqual({ reads: 0, writes: 0, deletes: 0, lists: 0 });
  });

  it("HEAD works like GET without a body", async () => {
    const response = await call("HEAD", articlePath("head"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });
});

describe("platform failures", () => {
  it("a KV outage on a page view → 503 storage_unavailable, not 500", async () => {
    const { kv } = faultyKv(env.PLAUDIT, 1, { failAll: true });
    const response = await call("GET", articlePath("outage"), { env: { PLAUDIT: kv } });
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    expect(await errorCode(response)).toBe("storage_unavailable");
  });

  it("a KV outage on a vote → 503, and the vote is not counted", async () => {
    const { kv } = faultyKv(env.PLAUDIT, 1, { failAll: true });
    const response = await vote("outage-vote", freshVoter(), 5, { env: { PLAUDIT: kv } });
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("storage_unavailable");
    await expectRating("outage-vote", { count: 0 });
  });

  it("writes without HASH_SECRET → 503 not_configured; reads still work", async () => {
    const response = await vote("no-secret", freshVoter(), 5, { env: { HASH_SECRET: "" } });
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("not_configured");
    expect((await call("GET", articlePath("no-secret"), { env: { HASH_SECRET: "" } })).status).toBe(200);
  });
});
