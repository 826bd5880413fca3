import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { expectNoProblems, importComments, openHostPage, untilThreadShows, useBrowser } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `order-test-${Date.now()}-${++counter}`;

/** Published at once, without rate limits: the owner's comments from the moderation API. */
async function ownerComment(article: string, body: string, parentId?: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/admin/articles/${encodeURIComponent(article)}/comments`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ body, parentId }),
  });
  expect(response.status).toBe(201);
  const { id } = (await response.json()).comment;
  await untilThreadShows(baseUrl, article, [id]);
  return id;
}

const page = (article: string, order = "newest") =>
  `<script async src="${baseUrl}/embed.js"></script><plaudit-comments article="${article}" order="${order}"></plaudit-comments>`;

describe('<plaudit-comments order="newest">', () => {
  it("shows the newest comments first, replies still under what they answer", async () => {
    const article = freshArticle();
    const first = await ownerComment(article, "First of all.");
    await ownerComment(article, "Second thought.");
    await ownerComment(article, "A reply to the first.", first);
    await ownerComment(article, "Third and newest.");
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, page(article));
    await expect.poll(() => visitor.page.locator("plaudit-comments [part=comment] > [part=body]").allTextContents()).toEqual([
      "Third and newest.",
      "Second thought.",
      "First of all.",
      "A reply to the first.",
    ]);
    expectNoProblems(visitor);
  });

  it("starts a long thread at its newest comment, and Load more goes back in time", async () => {
    const article = freshArticle();
    await importComments(baseUrl, article, Array.from({ length: 60 }, (_, i) => `Comment ${i + 1}.`));
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, page(article));
    const bodies = visitor.page.locator("plaudit-comments [part=comment] > [part=body]");
    await expect.poll(() => bodies.first().textContent()).toBe("Comment 60.");
    expect(await visitor.page.locator("plaudit-comments h2").textContent()).toBe("60 comments");
    const shown = await bodies.count();
    expect(shown).toBeLessThan(60);
    await visitor.page.getByRole("button", { name: "Load more comments" }).click();
    await expect.poll(() => bodies.count()).toBe(60);
    const all = await bodies.allTextContents();
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => `Comment ${60 - i}.`));
    expect(await visitor.page.getByRole("button", { name: "Load more comments" }).count()).toBe(0);
    expectNoProblems(visitor);
  }, 60_000);

  it("keeps the oldest first by default", async () => {
    const article = freshArticle();
    await ownerComment(article, "Older.");
    await ownerComment(article, "Newer.");
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, page(article, ""));
    await expect.poll(() => visitor.page.locator("plaudit-comments [part=comment] > [part=body]").allTextContents()).toEqual(["Older.", "Newer."]);
  });
});

describe("Turnstile, loaded on demand", () => {
  it("fetches turnstile.js only on a page whose comments have a sitekey, and it asks Cloudflare for the challenge", async () => {
    const visitor = await reader();
    const requested: string[] = [];
    visitor.page.on("request", (request) => requested.push(request.url()));
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js" data-mount data-article="${freshArticle()}"></script>`);
    await expect.poll(() => visitor.page.locator("plaudit-comments h2").textContent()).toBe("0 comments");
    expect(requested.some((url) => url.endsWith("/turnstile.js"))).toBe(false);

    const withKey = await reader();
    const asked: string[] = [];
    withKey.page.on("request", (request) => asked.push(request.url()));
    // No network here: Cloudflare's script is answered locally, as an empty script.
    await withKey.page.route("https://challenges.cloudflare.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: "window.turnstile = { render() { return 'x'; } };" }));
    await openHostPage(withKey, baseUrl, `<script async src="${baseUrl}/embed.js" data-mount data-article="${freshArticle()}" data-turnstile-sitekey="1x00000000000000000000AA"></script>`);
    await expect.poll(() => asked.some((url) => url === `${baseUrl}/turnstile.js`)).toBe(true);
    await expect.poll(() => asked.some((url) => url.startsWith("https://challenges.cloudflare.com/turnstile/v0/api.js"))).toBe(true);
  });
});
