import { findLinks } from "../../worker/comments/links";
import type { PublicComment } from "../shared/api";

/** A comment as shown: nested under the comment it answers, so the markup nests too. */
export interface Shown {
  comment: PublicComment;
  /** The comment this one answers, for "in reply to"; none at the top level. */
  parent?: PublicComment;
  replies: Shown[];
}

/** Replies nest this deep; a reply to one this deep becomes its sibling. */
const MAX_DEPTH = 3;

/**
 * What the reader sees, as a tree: the public thread (in publication order, so a reply comes after
 * the comment it answers; one whose parent is not shown stands at the top level), plus their own
 * comments still awaiting moderation, each after the last reply of its parent (or at the end).
 */
export function arrange(items: PublicComment[], own: PublicComment[]): Shown[] {
  const top: Shown[] = [];
  const placed = new Map<string, { node: Shown; depth: number; above?: Shown }>();
  const add = (comment: PublicComment) => {
    const parent = comment.parentId ? placed.get(comment.parentId) : undefined;
    const at = parent && parent.depth >= MAX_DEPTH ? placed.get(parent.above!.comment.id) : parent;
    const node: Shown = { comment, replies: [] };
    if (parent) node.parent = parent.node.comment;
    (at ? at.node.replies : top).push(node);
    placed.set(comment.id, { node, depth: at ? at.depth + 1 : 1, above: at?.node });
  };
  for (const comment of items) add(comment);
  for (const comment of own) if (!placed.has(comment.id)) add(comment);
  return top;
}

// Largest first: object keys keep their order.
const UNITS = { year: 31_536_000, month: 2_592_000, week: 604_800, day: 86_400, hour: 3_600, minute: 60 };

/** "3 minutes ago", "yesterday", "now" in the reader's language. */
export function relativeTime(iso: string, locale: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of Object.entries(UNITS)) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit as Intl.RelativeTimeFormatUnit);
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
