import { inertForDiscord, inertForSlack } from "./inert";
import type { StoredComment } from "./model";

/**
 * Tell the moderator's webhook (Slack, Discord, ntfy...) about a comment, or an author's edit of a
 * published one (`comment.body` is then the edit), awaiting moderation.
 * Runs after the response via waitUntil; a failing webhook never affects the reader.
 */
export async function notifyPending(url: string, comment: StoredComment, origin: string, kind: "comment" | "edit" = "comment"): Promise<void> {
  const what = kind === "edit" ? "Edited comment" : "New comment";
  const message = (inert: (text: string) => string) =>
    `${what} awaiting moderation on ${inert(comment.article)} from ${inert(comment.author)}: ${inert(comment.body.slice(0, 280))}`;
  try {
    await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        event: kind === "edit" ? "comment.edit_pending" : "comment.pending",
        // `text` (Slack) and `content` (Discord) are shown as messages: readers' words made inert.
        text: message(inertForSlack),
        content: message(inertForDiscord),
        // Even an escape that slipped through must not ping anyone on Discord.
        allowed_mentions: { parse: [] },
        article: comment.article,
        comment: { id: comment.id, author: comment.author, website: comment.website, body: comment.body, createdAt: new Date(comment.createdAt).toISOString() },
        moderate: `${origin}/admin`,
      }),
    });
  } catch (error) {
    console.warn("Moderation webhook failed", error);
  }
}
