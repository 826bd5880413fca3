import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../worker/app-env";
import { onError } from "../../worker/http/errors";
import { lazyApp } from "../../worker/http/lazy-app";

describe("routes loaded on first use (lazyApp)", () => {
  it("loads the app once, and tries again after a load that failed instead of failing for the isolate's life", async () => {
    let loads = 0;
    const loaded = new Hono<AppEnv>().get("/thing", (c) => c.json({ ok: true }));
    const handler = lazyApp(async () => {
      loads += 1;
      if (loads === 1) throw new Error("the module could not be fetched");
      return loaded;
    });
    const app = new Hono<AppEnv>().get("/thing", handler);
    app.onError(onError);

    expect((await app.request("/thing")).status).toBe(500);
    expect((await app.request("/thing")).status).toBe(200);
    expect((await app.request("/thing")).status).toBe(200);
    expect(loads).toBe(2);
  });
});
