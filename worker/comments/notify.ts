import { inertForDiscord, inertForSlack } from "./inert";
import type { StoredComment } from "./model";

/**
 * Tell the moderator's webhook (Slack, Discord, ntfy...) about a comment awaiting moderation.
 * Runs after the response via waitUntil; a failing webhook never affects the reader.
 */
export async function notifyPending(url: string, comment: StoredComment, origin: string): Promise<void> {
  const message = (inert: (text: string) => string) =>
    `New comment awaiting moderation on ${inert(comment.article)} from ${inert(comment.author)}: ${inert(comment.body.slice(0, 280))}`;
  try {
    await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        event: "comment.pending",
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
