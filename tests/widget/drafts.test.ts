import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearDraft, loadDraft, saveDraft } from "../../widget/comments/drafts";

const API = "https://w.example";

describe("comment drafts", () => {
  let store: Map<string, string>;
  beforeEach(() => {
    store = new Map();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("keeps one draft per article and per form, so switching forms loses nothing", () => {
    saveDraft(API, "post", "", { author: "Ada", body: "Main form text" });
    saveDraft(API, "post", "reply-a", { author: "Ada", body: "Reply to A" });
    saveDraft(API, "post", "reply-b", { body: "Reply to B" });
    saveDraft(API, "other-post", "", { body: "Elsewhere" });
    expect(loadDraft(API, "post", "")).toEqual({ author: "Ada", body: "Main form text" });
    expect(loadDraft(API, "post", "reply-a")).toEqual({ author: "Ada", body: "Reply to A" });
    expect(loadDraft(API, "post", "reply-b")).toEqual({ body: "Reply to B" });
    expect(loadDraft(API, "other-post", "")).toEqual({ body: "Elsewhere" });
    expect(loadDraft("https://other.example", "post", "")).toEqual({});
  });

  it("survives a reload through localStorage, but never writes the email there", () => {
    saveDraft(API, "post", "", { author: "Ada", email: "ada@example.com", body: "Half a thought" });
    expect([...store.values()].join()).toContain("Half a thought");
    expect([...store.values()].join()).not.toContain("ada@example.com");
    // The email still comes back within this page view, when the reader switches forms.
    expect(loadDraft(API, "post", "").email).toBe("ada@example.com");
  });

  it("forgets a draft once posted, and drafts left alone for over a week", () => {
    saveDraft(API, "post", "reply-a", { body: "Posted now" });
    saveDraft(API, "post", "", { body: "Still typing" });
    clearDraft(API, "post", "reply-a");
    expect(loadDraft(API, "post", "reply-a")).toEqual({});
    expect(loadDraft(API, "post", "")).toEqual({ body: "Still typing" });

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 8 * 864e5);
    expect(loadDraft(API, "post", "")).toEqual({});
  });

  it("drops an emptied draft instead of keeping blank entries", () => {
    saveDraft(API, "post", "", { body: "x" });
    saveDraft(API, "post", "", { author: "", website: "", body: "" });
    expect(JSON.parse(store.get("plaudit:drafts")!)).toEqual({});
  });
});
