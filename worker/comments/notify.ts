import type { StoredComment } from "./model";

/**
 * Tell the moderator's webhook (Slack, Discord, ntfy...) about a comment awaiting moderation.
 * Runs after the response via waitUntil; a failing webhook never affects the reader.
 */
export async function notifyPending(url: string, comment: StoredComment, origin: string): Promise<void> {
  const text = `New comment awaiting moderation on ${comment.article} from ${comment.author}: ${comment.body.slice(0, 280)}`;
  try {
    await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        event: "comment.pending",
        // `text` and `content` let Slack and Discord show the message as it is.
        text,
        content: text,
        article: comment.article,
        comment: { id: comment.id, author: comment.author, website: comment.website, body: comment.body, createdAt: new Date(comment.createdAt).toISOString() },
        moderate: `${origin}/admin`,
      }),
    });
  } catch (error) {
    console.warn("Moderation webhook failed", error);
  }
}
