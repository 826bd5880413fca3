/**
 * Readers' text (article ids, names, bodies) made inert for chat webhooks, where it would
 * otherwise ping moderators (`<!here>`, `@everyone`) or disguise a link (`<https://evil|real>`,
 * `[real](https://evil)`). Each service is escaped by its own documented rules.
 */

// A zero-width space after "@" keeps the text readable while no service sees a mention.
const defuseMentions = (text: string) => text.replaceAll("@", "@\u200b");

/** Slack: `&`, `<` and `>` are the only control characters, escaped as HTML entities. */
export function inertForSlack(text: string): string {
  return defuseMentions(text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;"));
}

// Discord markdown: emphasis, code, spoilers, masked links, mentions and channels, headings, quotes, lists.
const DISCORD_MARKUP = /[\\*_~`|[\]()<>#-]/g;

/** Discord: markdown and mention syntax escaped with backslashes, which Discord hides. */
export function inertForDiscord(text: string): string {
  return defuseMentions(text.replace(DISCORD_MARKUP, "\\$&"));
}
