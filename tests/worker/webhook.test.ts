import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import { articlePath, BASE, freshIp } from "./support/api";

/** Post a comment with NOTIFY_WEBHOOK_URL set and return the JSON the webhook received. */
async function webhookPayload(article: string, comment: Record<string, unknown>) {
  const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("ok"));
  const waits: Promise<unknown>[] = [];
  const request = new Request(`${BASE}${articlePath(article, "/comments")}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    body: JSON.stringify(comment),
  });
  const response = await worker.fetch(request, { ...env, NOTIFY_WEBHOOK_URL: "https://hooks.example/plaudit" }, {
    waitUntil: (promise: Promise<unknown>) => waits.push(promise),
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext);
  expect(response.status).toBe(201);
  await Promise.all(waits);
  expect(fetchSpy).toHaveBeenCalledTimes(1);
  return JSON.parse(String(fetchSpy.mock.calls[0]![1]?.body));
}

const hostile = {
  article: "<https://evil.example|https://news.example/post> <!channel>",
  author: "<!here> @everyone",
  body: "Urgent: [https://bank.example/login](https://evil.example/login) <@123456> <@&987> @here <!subteam^S1> & <https://evil.example|click> `code` **bold**",
};

describe("moderation webhook messages are inert", () => {
  afterEach(() => vi.restoreAllMocks());

  it("Slack's text has no control sequences left: no mentions, no disguised links", async () => {
    const { text } = await webhookPayload(hostile.article, { author: hostile.author, body: hostile.body });
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/@(here|everyone|channel)/);
    expect(text).toContain("&lt;!here&gt; @\u200beveryone");
    expect(text).toContain("&lt;https://evil.example|click&gt;");
    expect(text).toContain(" &amp; ");
  });

  it("Discord's content escapes markdown and mentions, and allows no mentions at all", async () => {
    const payload = await webhookPayload(`${hostile.article} 2`, { author: hostile.author, body: hostile.body });
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    const { content } = payload as { content: string };
    // Every markup character is escaped by a backslash, so nothing forms a link, mention or format.
    expect(content.replace(/\\[^a-zA-Z0-9\s]/g, "")).not.toMatch(/[<>[\]()*`|_~]/);
    expect(content).not.toMatch(/@(here|everyone)/);
    expect(content).toContain("\\[https://bank.example/login\\]\\(https://evil.example/login\\)");
    expect(content).toContain("\\<@\u200b123456\\>");
  });

  it("keeps the structured fields as written, for tools that read them as data", async () => {
    const payload = await webhookPayload(`${hostile.article} 3`, { author: hostile.author, body: hostile.body });
    expect(payload).toMatchObject({ event: "comment.pending", article: `${hostile.article} 3`, comment: { author: hostile.author, body: hostile.body } });
  });

  it("leaves ordinary text readable", async () => {
    const { text, content } = await webhookPayload("plain-article", { author: "Lin", body: "Thanks, this helped a lot." });
    expect(text).toBe("New comment awaiting moderation on plain-article from Lin: Thanks, this helped a lot.");
    expect(content).toBe("New comment awaiting moderation on plain\\-article from Lin: Thanks, this helped a lot.");
  });
});
