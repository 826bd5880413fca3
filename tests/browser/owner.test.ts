import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { axeViolations, expectNoProblems, openHostPage, untilThreadCounts, useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `owner-test-${Date.now()}-${++counter}`;
const embed = (article: string) => `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}"></script>`;

/** A reader's comment, published (approved by a moderator through the API). */
async function seedApproved(article: string, author: string, body: string): Promise<string> {
  const posted = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.51.100.${200 + (++counter % 50)}` },
    body: JSON.stringify({ author, body }),
  }).then((r) => r.json());
  const approved = await fetch(`${baseUrl}/api/v1/admin/comments/${encodeURIComponent(article)}/${posted.comment.id}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ status: "approved" }),
  });
  expect(approved.status).toBe(200);
  return posted.comment.id;
}

async function signIn(moderator: Reader) {
  await moderator.page.goto(`${baseUrl}/admin`);
  await moderator.page.getByLabel("Admin token").fill(TEST_SECRETS.ADMIN_TOKEN);
  await moderator.page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => moderator.page.getByRole("tab", { name: /Approved/ }).count()).toBe(1);
}

describe("the owner's voice", () => {
  it("a moderator replies from /admin and writes a top-level comment; readers see both marked Author", async () => {
    const article = freshArticle();
    await seedApproved(article, "Ada", "Which saddle did you use?");
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByRole("tab", { name: /Approved/ }).click();
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    const item = moderator.page.locator("plaudit-queue li.item").filter({ hasText: "Which saddle did you use?" });
    await expect.poll(() => item.count()).toBe(1);

    await item.getByRole("button", { name: "Reply" }).click();
    await item.getByLabel("Your reply to Ada, published at once as the author").fill("A Brooks B17, broken in over a summer.");
    await item.getByRole("button", { name: "Publish reply" }).click();
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Reply to Ada published.");
    // Listed in the Approved tab at once, marked as the owner's.
    const mine = moderator.page.locator("plaudit-queue li.item").filter({ hasText: "A Brooks B17" });
    await expect.poll(() => mine.locator(".badge").textContent()).toBe("Author");

    await moderator.page.getByLabel(`Your comment on ${article}, published at once as the author`).fill("Thanks for all the questions, everyone.");
    await moderator.page.getByRole("button", { name: "Publish comment" }).click();
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Your comment is published.");

    await untilThreadCounts(baseUrl, article, 3);
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    const comments = visitor.page.locator("plaudit-comments [part=comment]");
    await expect.poll(() => comments.count()).toBe(3);
    const reply = comments.filter({ hasText: "A Brooks B17" }).last();
    // Nested under Ada's question, signed with OWNER_NAME (unset here: "Site owner") and badged.
    expect(await comments.first().locator("[part=comment]").count()).toBe(1);
    expect(await reply.locator("[part=author]").textContent()).toBe("Site owner");
    expect(await reply.locator("[part=badge]").textContent()).toBe("Author");
    expect(await comments.filter({ hasText: "Which saddle" }).first().locator("> [part=meta] [part=badge]").count()).toBe(0);
    expect(await comments.filter({ hasText: "Thanks for all the questions" }).locator("[part=badge]").textContent()).toBe("Author");
    expectNoProblems(visitor);

    // The badge is a pill in the accent colour, not plain text, and passes axe's contrast check.
    const look = (badge: ReturnType<typeof reply.locator>) =>
      badge.evaluate((el) => {
        const style = getComputedStyle(el);
        return { background: style.backgroundColor, color: style.color, radius: style.borderRadius, border: style.borderTopColor };
      });
    const badge = reply.locator("[part=badge]");
    const plain = await reply.locator("[part=author]").evaluate((el) => getComputedStyle(el).color);
    expect(await look(badge)).toEqual({ background: "rgb(37, 99, 235)", color: "rgb(255, 255, 255)", radius: "14px", border: "rgba(0, 0, 0, 0)" });
    expect(plain).not.toBe("rgb(255, 255, 255)");
    expect(await axeViolations(visitor.page)).toEqual([]);

    // Still the host's to restyle with ::part(badge), and --plaudit-accent-color colours it.
    const themed = await reader();
    await openHostPage(themed, baseUrl, embed(article), {
      head: "<style>plaudit-comments { --plaudit-accent-color: rgb(0, 90, 40); } plaudit-comments::part(badge) { border-radius: 2px; }</style>",
    });
    const themedBadge = themed.page.locator("plaudit-comments [part=badge]").first();
    await expect.poll(() => themedBadge.count()).toBe(1);
    expect(await look(themedBadge)).toMatchObject({ background: "rgb(0, 90, 40)", radius: "2px" });

    // In forced colours the background goes, and the border keeps the pill's outline.
    const forced = await reader({ forcedColors: "active" });
    await openHostPage(forced, baseUrl, embed(article));
    const forcedBadge = forced.page.locator("plaudit-comments [part=badge]").first();
    await expect.poll(() => forcedBadge.count()).toBe(1);
    const { border, color } = await look(forcedBadge);
    expect(border).not.toBe("rgba(0, 0, 0, 0)");
    expect(border).toBe(color);
  });

  it("tells a reader who signs with the owner's name to use their own", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const form = visitor.page.locator("plaudit-comments form").last();
    await form.getByLabel("Name").fill("SITE  0wner");
    await form.getByLabel("Comment", { exact: true }).fill("Pretending to be the author.");
    await form.getByRole("button", { name: "Post comment" }).click();
    // On the name field, where the reader can fix it; nothing was posted.
    await expect.poll(() => visitor.page.locator("plaudit-comments #author-error").textContent()).toBe("Please use your own name.");
    expect(await form.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
    expect(await visitor.page.locator("plaudit-comments [part=comment]").count()).toBe(0);
  });

  it("Reply on a pending comment approves it and publishes both", async () => {
    const article = freshArticle();
    const posted = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.51.100.${150 + (++counter % 40)}` },
      body: JSON.stringify({ author: "Grace", body: "Does the bell still ring?" }),
    });
    expect(posted.status).toBe(201);
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    // The filtered list, not the whole queue it replaces.
    await expect.poll(() => moderator.page.locator("plaudit-queue li.item").count()).toBe(1);
    const item = moderator.page.locator("plaudit-queue li.item").filter({ hasText: "Does the bell still ring?" });
    await item.getByRole("button", { name: "Reply" }).click();
    await item.getByLabel("Your reply to Grace, published at once as the author (it approves their comment too)").fill("Every morning.");
    await item.getByRole("button", { name: "Publish reply" }).click();
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Reply to Grace published, and their comment approved.");
    await expect.poll(() => item.count()).toBe(0);

    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    await expect.poll(() => visitor.page.locator("plaudit-comments [part=comment] > [part=body]").allTextContents()).toEqual(["Does the bell still ring?", "Every morning."]);
  });
});
