import { describe, expect, it } from "vitest";
import { call, errorCode } from "./support/api";

// wrangler.toml routes the demo pages to the Worker first. Only wrangler dev's asset router shows
// what a deployed Worker answers there (tests/browser/dev-server.test.ts); here, the switch itself.
describe("the DEMO_PAGES switch", () => {
  it.each(["on", "ON", "true", "1"])("DEMO_PAGES=%s serves the demo article and the themes page", async (value) => {
    const article = await call("GET", "/", { env: { DEMO_PAGES: value } });
    expect(article.status).toBe(200);
    expect(await article.text()).toContain("The bicycle that taught me patience");
    // The Worker's security headers still apply to what it serves.
    expect(article.headers.get("X-Content-Type-Options")).toBe("nosniff");

    const themes = await call("GET", "/themes", { env: { DEMO_PAGES: value } });
    expect(themes.status).toBe(200);
    expect(await themes.text()).toContain("Themes and languages");
  });

  it.each([undefined, "", "off", "no"])("DEMO_PAGES=%s answers a JSON 404 for the demo article", async (value) => {
    const response = await call("GET", "/", { env: { DEMO_PAGES: value } });
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("not_found");
  });

  it("keeps unknown API addresses a JSON 404 when demo pages are on", async () => {
    const response = await call("GET", "/api/v1/no-such-route", { env: { DEMO_PAGES: "on" } });
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("not_found");
  });
});
