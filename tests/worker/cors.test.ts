import { describe, expect, it } from "vitest";
import { BASE, articlePath, call, errorCode, freshVoter, expectRating, readRating, vote } from "./support/api";

const blog = "https://blog.example";
const evil = "https://evil.example";
const restricted = { env: { ALLOWED_ORIGINS: `${blog}, https://docs.example/` } };

describe("CORS with ALLOWED_ORIGINS", () => {
  it("grants any origin by default", async () => {
    const response = await call("GET", articlePath("cors"), { origin: evil });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("grants listed origins (trailing slashes ignored) and nobody else", async () => {
    for (const origin of [blog, "https://docs.example"]) {
      const response = await call("GET", articlePath("cors"), { ...restricted, origin });
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe(origin);
      expect(response.headers.get("Vary")).toContain("Origin");
    }
    const foreign = await call("GET", articlePath("cors"), { ...restricted, origin: evil });
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("answers preflights with the methods, headers and a max-age of at least 10 minutes", async () => {
    const response = await call("OPTIONS", articlePath("cors", "/vote"), {
      ...restricted,
      origin: blog,
      headers: { "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(blog);
    expect(response.headers.get("Access-Control-Allow-Methods")).toContain("PUT");
    expect(response.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("content-type");
    expect(Number(response.headers.get("Access-Control-Max-Age"))).toBeGreaterThanOrEqual(600);
  });

  it("refuses writes from origins that may not embed the widget with 403 forbidden_origin", async () => {
    const refused = await vote("cors-write", freshVoter(), 5, { ...restricted, origin: evil });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("forbidden_origin");
    await expectRating("cors-write", { count: 0 });

    expect((await vote("cors-write", freshVoter(), 5, { ...restricted, origin: blog })).status).toBe(200);
    // The Worker's own pages (demo, admin) are always allowed, and so are clients without Origin.
    expect((await vote("cors-write", freshVoter(), 5, { ...restricted, origin: BASE })).status).toBe(200);
    expect((await vote("cors-write", freshVoter(), 5, restricted)).status).toBe(200);
  });

  it("sends cross-origin resource policy so other sites can use the responses", async () => {
    const response = await call("GET", articlePath("cors"));
    expect(response.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});
