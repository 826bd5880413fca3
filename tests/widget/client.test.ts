import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AdminApi, type ModeratedComment } from "../../widget/admin/api";
import { ApiFailure, loadArticle, sendVote } from "../../widget/shared/api";
import { ownRating, rememberRating, voterToken } from "../../widget/shared/reader";

const rating = { count: 1, sum: 4, average: 4, histogram: [0, 0, 0, 1, 0], best: 5 };

describe("API client", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("loads an article once per page, however many elements ask", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValue(Response.json({ article: "/a b/", rating }));
    const [first, second] = await Promise.all([loadArticle("https://w.example", "/a b/"), loadArticle("https://w.example", "/a b/")]);
    expect(first).toBe(second);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe("https://w.example/api/v1/articles/%2Fa%20b%2F");
  });

  it("revalidates instead of using the HTTP cache for an article the reader voted on", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ article: "voted", rating }));
    await loadArticle("https://w.example", "voted", true);
    await loadArticle("https://w.example", "not-voted");
    expect(fetch.mock.calls[0]![1]).toMatchObject({ cache: "no-cache" });
    expect(fetch.mock.calls[1]![1]).toBeUndefined();
  });

  it("forgets a failed load so the next attempt retries", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(new Response("{}", { status: 503 }));
    await expect(loadArticle("https://w.example", "retry")).rejects.toMatchObject({ kind: "failed" });
    fetch.mockResolvedValueOnce(Response.json({ article: "retry", rating }));
    await expect(loadArticle("https://w.example", "retry")).resolves.toMatchObject({ rating });
  });

  it("sends votes and retractions as the API expects", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ rating, yours: 4 }));
    await sendVote("https://w.example", "x", "token-token-token-1", 4);
    await sendVote("https://w.example", "x", "token-token-token-1", null);
    const [put, del] = fetch.mock.calls.map(([url, init]) => ({ url, method: init?.method, body: JSON.parse(String(init?.body)) }));
    expect(put).toEqual({ url: "https://w.example/api/v1/articles/x/vote", method: "PUT", body: { voter: "token-token-token-1", rating: 4 } });
    expect(del).toEqual({ url: "https://w.example/api/v1/articles/x/vote", method: "DELETE", body: { voter: "token-token-token-1" } });
  });

  it("sends a vote with keepalive, and again without when the browser refuses that", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async (_, init) => (init?.keepalive ? Promise.reject(new TypeError("Failed to fetch")) : Response.json({ rating, yours: 4 })));
    await expect(sendVote("https://w.example", "x", "token-token-token-1", 4)).resolves.toMatchObject({ yours: 4 });
    expect(fetch.mock.calls.map(([, init]) => init?.keepalive)).toEqual([true, false]);
  });

  it.each([
    [() => Promise.reject(new TypeError("Failed to fetch")), false, "offline"],
    // Unreachable while the browser is online: the API is down or blocked, not the reader offline.
    [() => Promise.reject(new TypeError("Failed to fetch")), true, "failed"],
    [() => Promise.resolve(new Response("{}", { status: 429 })), true, "busy"],
    [() => Promise.resolve(new Response("{}", { status: 500 })), true, "failed"],
    [() => Promise.resolve(new Response("{}", { status: 400 })), true, "failed"],
    // A proxy's or host's own page where the API should answer.
    [() => Promise.resolve(new Response("<!doctype html><p>Not found</p>", { status: 200, headers: { "Content-Type": "text/html" } })), true, "failed"],
  ])("maps failures to what the reader is told (%#)", async (respond, onLine, kind) => {
    vi.stubGlobal("navigator", { onLine });
    vi.spyOn(globalThis, "fetch").mockImplementation(respond as typeof fetch);
    const error = await sendVote("https://w.example", "x", "token-token-token-1", 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFailure);
    expect((error as ApiFailure).kind).toBe(kind);
  });
});

describe("admin API client", () => {
  afterEach(() => vi.restoreAllMocks());
  const comment = (id: string) => ({ id, article: "/post/" }) as ModeratedComment;

  it("keeps a bulk action's changes alive past a reload, within the browser's keepalive caps", async () => {
    const answers: (() => void)[] = [];
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(() => new Promise((resolve) => answers.push(() => resolve(Response.json({})))));
    const api = new AdminApi("token");
    const bulk = Array.from({ length: 40 }, (_, i) => api.update(comment(`c${i}`), { status: "approved" }));
    const sent = () => fetch.mock.calls.map(([, init]) => init?.keepalive);
    expect(sent()).toEqual([...Array(32).fill(true), ...Array(8).fill(false)]);
    for (const answer of answers.splice(0)) answer();
    await Promise.all(bulk);
    // Answered, they no longer count against the cap; a long edit never uses keepalive.
    const next = [api.update(comment("d"), { status: "spam" }), api.erase(comment("e")), api.update(comment("f"), { body: "x".repeat(2000) })];
    expect(sent().slice(40)).toEqual([true, true, false]);
    for (const answer of answers.splice(0)) answer();
    await Promise.all(next);
    const counts = api.counts();
    expect(sent().at(-1)).toBe(false);
    answers.splice(0).forEach((answer) => answer());
    await counts;
  });
});

describe("reader memory", () => {
  let store: Map<string, string>;
  beforeEach(() => {
    store = new Map();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("keeps one anonymous voter token the API accepts", () => {
    const token = voterToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(voterToken()).toBe(token);
    store.set("plaudit:voter", "tampered with!");
    expect(voterToken()).not.toBe("tampered with!");
  });

  it("remembers the reader's rating per API and article, and forgets it on removal", () => {
    rememberRating("https://a.example", "post", 4);
    expect(ownRating("https://a.example", "post")).toBe(4);
    expect(ownRating("https://b.example", "post")).toBeUndefined();
    rememberRating("https://a.example", "post", null);
    // Removed, but remembered as touched: the widget then revalidates instead of trusting a cache.
    expect(ownRating("https://a.example", "post")).toBe(0);
  });

  it("survives corrupt storage and blocked storage", () => {
    store.set("plaudit:votes", "{not json");
    expect(ownRating("https://a.example", "post")).toBeUndefined();
    vi.stubGlobal("localStorage", {
      getItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
      setItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
    });
    rememberRating("https://a.example", "blocked", 2);
    expect(ownRating("https://a.example", "blocked")).toBe(2);
    expect(voterToken()).toBe(voterToken());
  });
});
