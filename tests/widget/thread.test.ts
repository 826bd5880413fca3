import { describe, expect, it } from "vitest";
import { arrange, linkify, paragraphs, relativeTime, safeUrl, type Shown } from "../../widget/comments/thread";
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

/** The tree as nested [id, replies] pairs, to compare at a glance. */
const outline = (shown: Shown[]): unknown[] => shown.map((s) => (s.replies.length ? [s.comment.id, outline(s.replies)] : s.comment.id));

describe("arrange", () => {
  it("nests replies under their parent, in the server's order, 3 deep at most", () => {
    const shown = arrange([comment("a"), comment("b", "a"), comment("c", "b"), comment("d", "c"), comment("e")], []);
    // The Worker already hangs "d" (a reply to a depth-3 comment) beside "c"; a stray deeper id is capped too.
    expect(outline(shown)).toEqual([["a", [["b", ["c", "d"]]]], "e"]);
    expect(shown[0]!.parent).toBeUndefined();
    expect(shown[0]!.replies[0]!.parent?.id).toBe("a");
  });

  it("places the reader's pending comments after their parent's replies, or at the end", () => {
    const shown = arrange(
      [comment("a"), comment("a1", "a"), comment("a2", "a1"), comment("b")],
      [comment("mine-top", null, "pending"), comment("mine-reply", "a", "pending"), comment("a1"), comment("mine-deep", "a2", "pending")],
    );
    expect(outline(shown)).toEqual([["a", [["a1", ["a2", "mine-deep"]], "mine-reply"]], "b", "mine-top"]);
    // Shown beside a2 (already 3 deep), but still said to answer a2.
    expect(shown[0]!.replies[0]!.replies[1]!.parent?.id).toBe("a2");
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
