import { afterEach, describe, expect, it, vi } from "vitest";
import { applyFates, askFates } from "../../widget/comments/fate";
import type { PublicComment } from "../../widget/shared/api";
import type { OwnComment } from "../../widget/shared/reader";

const API = "https://w.example";
const mine = (id: string, status?: "pending" | "approved"): OwnComment => ({
  comment: { id, parentId: null, author: "Me", website: null, body: id, createdAt: "2026-01-01T00:00:00Z", editedAt: null, ...(status ? { status } : {}) },
  editToken: `token-${id}`,
});
const listed = (id: string): PublicComment => ({ ...mine(id).comment });

describe("the fate of the reader's held comments", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("asks once per held comment missing from the thread, and learns which were removed or published", async () => {
    vi.stubGlobal("navigator", { onLine: true });
    const answers: Record<string, () => Response | Promise<never>> = {
      spam: () => Response.json({ status: "removed" }),
      approved: () => Response.json({ status: "approved" }),
      waiting: () => Response.json({ status: "pending" }),
      unreachable: () => Promise.reject(new TypeError("Failed to fetch")),
      flaky: () => new Response("{}", { status: 503 }),
    };
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation(async (url) => answers[String(url).split("/").at(-2)!]!());
    const own = [...Object.keys(answers).map((id) => mine(id, "pending")), mine("in-thread", "pending"), mine("published-long-ago")];
    const fates = await askFates(API, "post", own, [listed("in-thread")]);

    expect(fetch).toHaveBeenCalledTimes(5);
    expect(fetch.mock.calls.map(([url]) => url)).toContain("https://w.example/api/v1/articles/post/comments/spam/status");
    expect(Object.fromEntries(fates)).toEqual({ spam: "removed", approved: "approved" });

    const settled = applyFates([...own, mine("posted-meanwhile", "pending")], fates);
    expect(settled.map((entry) => [entry.comment.id, entry.comment.status])).toEqual([
      ["approved", "approved"],
      ["waiting", "pending"],
      ["unreachable", "pending"],
      ["flaky", "pending"],
      ["in-thread", "pending"],
      ["published-long-ago", undefined],
      ["posted-meanwhile", "pending"],
    ]);
  });

  it("asks nothing when no held comment is missing from the thread", async () => {
    const fetch = vi.spyOn(globalThis, "fetch");
    expect((await askFates(API, "post", [mine("a", "pending"), mine("b")], [listed("a")])).size).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
  });
});
