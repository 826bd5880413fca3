import { describe, expect, inject, it } from "vitest";

const baseUrl = inject("baseUrl");
const deployedUrl = inject("deployedUrl");

async function status(url: string): Promise<number> {
  const response = await fetch(url, { redirect: "manual" });
  await response.body?.cancel();
  return response.status;
}

describe("a Worker deployed with wrangler.toml's settings", () => {
  it("serves no demo pages", async () => {
    for (const path of ["/", "/index.html", "/themes", "/themes.html", "/demo.css"]) {
      expect(await status(`${deployedUrl}${path}`), path).toBe(404);
    }
    const body = await (await fetch(`${deployedUrl}/`)).json();
    expect(body.error.code).toBe("not_found");
  });

  it("still serves the widget, its language packs and the moderation page", async () => {
    const embed = await fetch(`${deployedUrl}/embed.js`);
    expect(embed.status).toBe(200);
    expect(await embed.text()).toContain("plaudit-rating");
    for (const path of ["/rating.js", "/admin.js", "/locales/rating/de.json", "/admin/", "/api/v1/health"]) {
      expect(await status(`${deployedUrl}${path}`), path).toBe(200);
    }
    const admin = await fetch(`${deployedUrl}/admin`);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain("<plaudit-admin");
  });
});

describe("npm start", () => {
  it("serves the demo pages", async () => {
    expect(await (await fetch(`${baseUrl}/`)).text()).toContain("The bicycle that taught me patience");
    expect(await status(`${baseUrl}/themes`)).toBe(200);
    expect(await status(`${baseUrl}/demo.css`)).toBe(200);
  });

  it("runs the cron on request, with the command the README gives", async () => {
    for (const cron of ["*+*+*+*+*"]) {
      const response = await fetch(`${baseUrl}/__scheduled?cron=${cron}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/Ran scheduled event/);
    }
  });
});
