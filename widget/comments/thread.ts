import { findLinks } from "../../worker/comments/links";
import type { PublicComment } from "../shared/api";

export interface Shown {
  comment: PublicComment;
  depth: number;
}

/**
 * What the reader sees: the public thread (already in order), plus their own comments still
 * awaiting moderation, each placed after the last reply of its parent (or at the end).
 */
export function arrange(items: PublicComment[], own: PublicComment[]): Shown[] {
  const depths = new Map<string, number>();
  const shown: Shown[] = [];
  const add = (comment: PublicComment, at = shown.length) => {
    const depth = comment.parentId ? Math.min(3, (depths.get(comment.parentId) ?? 0) + 1) : 1;
    depths.set(comment.id, depth);
    shown.splice(at, 0, { comment, depth });
  };
  for (const comment of items) add(comment);
  const listed = new Set(items.map((comment) => comment.id));
  for (const comment of own) {
    if (listed.has(comment.id)) continue;
    let at = shown.length;
    const parent = shown.findIndex((entry) => entry.comment.id === comment.parentId);
    if (parent >= 0) {
      at = parent + 1;
      while (at < shown.length && shown[at]!.depth > shown[parent]!.depth) at += 1;
    }
    add(comment, at);
  }
  return shown;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000],
  ["month", 2_592_000],
  ["week", 604_800],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** "3 minutes ago", "yesterday", "now" in the reader's language. */
export function relativeTime(iso: string, locale: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, "second");
}

/** A body as paragraphs of lines of text and http(s) links: never parsed as HTML. */
export type Segment = string | { href: string };

export function paragraphs(body: string): Segment[][][] {
  return body.split(/\n{2,}/).map((paragraph) => paragraph.split("\n").map(linkify));
}

/** Links are found by the Worker's own rule, so every link shown was counted against MAX_LINKS. */
export function linkify(line: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const { index, href } of findLinks(line)) {
    if (index > last) segments.push(line.slice(last, index));
    segments.push({ href });
    last = index + href.length;
  }
  if (last < line.length) segments.push(line.slice(last));
  return segments;
}

/** Only http(s) addresses ever become links, whatever the server sends. */
export function safeUrl(url: string | null): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
