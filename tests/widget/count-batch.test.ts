import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { articleKey, loadCount } from "../../widget/count/batch";

const zero = { rating: { count: 0, average: 0, best: 5 }, comments: { count: 0 } };
let api = "";
let counter = 0;

/** The ids each batch request asked for, decoded. */
const askedIds = (fetch: ReturnType<typeof vi.fn>) => fetch.mock.calls.map(([url]) => new URL(url as string).searchParams.getAll("ids"));

describe("<plaudit-count>'s batch of ids", () => {
  beforeEach(() => {
    // Each test its own API origin: the module keeps answers per origin and id for the page's life.
    api = `https://w${++counter}.example`;
    vi.stubGlobal("document", { readyState: "complete" });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("sends each article once, as the Worker keeps it (trimmed, NFC), and answers every element asking for it", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ articles: [{ ...zero, comments: { count: 3 } }] }));
    const answers = await Promise.all([loadCount(api, "/caf\u00e9/"), loadCount(api, "/cafe\u0301/"), loadCount(api, " /caf\u00e9/ ")]);
    expect(askedIds(fetch)).toEqual([["/caf\u00e9/"]]);
    expect(answers.map((answer) => answer.comments.count)).toEqual([3, 3, 3]);
  });

  it("leaves out ids the Worker would refuse, so they cannot cost the others their counts", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ articles: [zero] }));
    const bad = ["", "   ", "x".repeat(201), "..", ".", "tab\there", "/legit/\u202e/nimda/", "/zero\u200bwidth/"];
    const results = await Promise.allSettled([...bad.map((id) => loadCount(api, id)), loadCount(api, "/fine/")]);
    expect(results.map((result) => result.status)).toEqual([...bad.map(() => "rejected"), "fulfilled"]);
    expect(askedIds(fetch)).toEqual([["/fine/"]]);
    // The Worker's own limits: 200 characters (not UTF-16 units), ZWNJ kept.
    expect(articleKey("\u{1F600}".repeat(200))).toBe("\u{1F600}".repeat(200));
    expect(articleKey("/\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645/")).not.toBe("");
  });

  it("fails only the element whose id the Worker answered with an error", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async () =>
      Response.json({ articles: [{ ...zero, rating: { count: 2, average: 4, best: 5 } }, { ...zero, error: { code: "invalid_article", message: "Not an id this Worker accepts." } }] }),
    );
    const [good, bad] = await Promise.allSettled([loadCount(api, "/good/"), loadCount(api, "/refused-by-a-newer-worker/")]);
    expect(good).toMatchObject({ status: "fulfilled", value: { rating: { count: 2 } } });
    expect(bad).toMatchObject({ status: "rejected", reason: { code: "invalid_article" } });
  });

  it("splits a batch at 100 ids, and before its address grows too long for proxies", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async (url) => Response.json({ articles: new URL(url as string).searchParams.getAll("ids").map(() => zero) }));
    const many = Array.from({ length: 150 }, (_, n) => `/post-${n}/`);
    await Promise.all(many.map((id) => loadCount(api, id)));
    expect(askedIds(fetch).map((ids) => ids.length)).toEqual([100, 50]);

    fetch.mockClear();
    // 100 Chinese slugs of 60 characters: 540 bytes each in the address, percent-encoded.
    const long = Array.from({ length: 100 }, (_, n) => `/${n}-${"\u4e2d\u6587".repeat(30)}/`);
    await Promise.all(long.map((id) => loadCount(`${api}/long`, id)));
    const urls = fetch.mock.calls.map(([url]) => String(url));
    expect(urls.length).toBeGreaterThan(1);
    for (const url of urls) expect(url.length).toBeLessThan(8 * 1024 + 100);
    expect(askedIds(fetch).flat()).toEqual(long);
  });
});
