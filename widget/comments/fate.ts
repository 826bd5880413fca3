import { commentStatus, type PublicComment } from "../shared/api";
import type { OwnComment } from "../shared/reader";

/** What moderators decided about one of the reader's held comments. */
export type Fate = "approved" | "removed";

/**
 * Ask about each of the reader's comments still shown as awaiting moderation but not in the
 * public thread. Unanswered questions decide nothing: the next page view asks again.
 */
export async function askFates(api: string, article: string, own: OwnComment[], thread: PublicComment[]): Promise<Map<string, Fate>> {
  const listed = new Set(thread.map((comment) => comment.id));
  const fates = new Map<string, Fate>();
  await Promise.all(
    own.map(async ({ comment }) => {
      if (comment.status !== "pending" || listed.has(comment.id)) return;
      const answer = await commentStatus(api, article, comment.id).catch(() => null);
      if (answer && answer.status !== "pending") fates.set(comment.id, answer.status);
    }),
  );
  return fates;
}

/** The reader's comments with the fates applied: removed ones forgotten, approved ones no longer "awaiting moderation". */
export function applyFates(own: OwnComment[], fates: Map<string, Fate>): OwnComment[] {
  return own.flatMap((entry) => {
    const fate = fates.get(entry.comment.id);
    if (fate === "removed") return [];
    return fate === "approved" ? [{ ...entry, comment: { ...entry.comment, status: fate } }] : [entry];
  });
}
