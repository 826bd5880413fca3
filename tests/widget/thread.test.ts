import { describe, expect, it } from "vitest";
import { arrange, linkify, paragraphs, relativeTime, safeUrl } from "../../widget/comments/thread";
import type { PublicComment } from "../../widget/shared/api";
import { LINK_CASES } from "../link-cases";

const comment = (id: string, parentId: string | null = null, status?: "pending"): PublicComment => ({
  id,
  parentId,
  author: id,
  website: null,
  body: id,
  createdAt: "2026-01-01T00:00:00Z",
  editedAt: null,
  ...(status ? { status } : {}),
});

describe("arrange", () => {
  it("keeps the server's order and computes depth, capped at 3", () => {
    const shown = arrange([comment("a"), comment("b", "a"), comment("c", "b"), comment("d", "c"), comment("e")], []);
    expect(shown.map((s) => [s.comment.id, s.depth])).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 3],
      ["d", 3],
      ["e", 1],
    ]);
  });

  it("places the reader's pending comments after their parent's replies, or at the end", () => {
    const shown = arrange(
      [comment("a"), comment("a1", "a"), comment("b")],
      [comment("mine-top", null, "pending"), comment("mine-reply", "a", "pending"), comment("a1")],
    );
    expect(shown.map((s) => s.comment.id)).toEqual(["a", "a1", "mine-reply", "b", "mine-top"]);
    expect(shown.find((s) => s.comment.id === "mine-reply")?.depth).toBe(2);
  });
});

describe("body rendering model", () => {
  it("splits paragraphs and lines, and finds http(s) links without trailing punctuation", () => {
    expect(paragraphs("Hello\nworld\n\nSee https://example.com/a?b=1.")).toEqual([
      [["Hello"], ["world"]],
      [["See ", { href: "https://example.com/a?b=1" }, "."]],
    ]);
  });

  it("never turns other schemes or markup into links", () => {
    expect(linkify("javascript:alert(1) <img src=x onerror=alert(1)> ftp://x.example")).toEqual([
      "javascript:alert(1) <img src=x onerror=alert(1)> ftp://x.example",
    ]);
    expect(linkify('https://ok.example/"onmouseover="x')).toEqual([{ href: "https://ok.example/" }, '"onmouseover="x']);
  });

  // The same table the Worker's MAX_LINKS count is tested with: every link shown was counted.
  it.each(LINK_CASES)("links exactly what the Worker counts: $text", ({ text, links }) => {
    const hrefs = paragraphs(text).flat(2).flatMap((segment) => (typeof segment === "string" ? [] : [segment.href]));
    expect(hrefs).toEqual(links);
    // Nothing is lost or duplicated around the links.
    expect(paragraphs(text).map((lines) => lines.map((segments) => segments.map((s) => (typeof s === "string" ? s : s.href)).join("")).join("\n")).join("\n\n")).toBe(text);
  });

  it("only accepts http(s) websites", () => {
    expect(safeUrl("https://ada.example/")).toBe("https://ada.example/");
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl(" https://sneaky.example")).toBeUndefined();
    expect(safeUrl(null)).toBeUndefined();
  });
});

describe("relativeTime", () => {
  const now = Date.parse("2026-05-10T12:00:00Z");
  it.each([
    ["2026-05-10T11:59:58Z", "en", "now"],
    ["2026-05-10T11:57:00Z", "en", "3 minutes ago"],
    ["2026-05-10T09:00:00Z", "en", "3 hours ago"],
    ["2026-05-09T12:00:00Z", "en", "yesterday"],
    ["2025-05-01T12:00:00Z", "en", "last year"],
    ["2026-05-10T11:57:00Z", "de", "vor 3 Minuten"],
    ["2026-05-09T12:00:00Z", "es", "ayer"],
  ])("%s in %s → %s", (iso, locale, expected) => {
    expect(relativeTime(iso, locale, now)).toBe(expected);
  });
});
