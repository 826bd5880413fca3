import { afterEach, describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const auth = { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/json" };

async function submit(article: string, author: string, body: string, ip: string, email?: string) {
  const response = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ author, body, email }),
  });
  expect(response.status).toBe(201);
  return (await response.json()).comment as { id: string; status: string };
}

async function signIn(moderator: Reader) {
  await moderator.page.goto(`${baseUrl}/admin`);
  await moderator.page.getByLabel("Admin token").fill(TEST_SECRETS.ADMIN_TOKEN);
  await moderator.page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => moderator.page.getByRole("tab", { name: /Pending/ }).count()).toBe(1);
}

async function spamIds(article: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/v1/admin/comments?status=spam&article=${encodeURIComponent(article)}`, { headers: auth });
  return (await response.json()).comments.map((c: { id: string }) => c.id);
}

afterEach(async () => {
  await fetch(`${baseUrl}/api/v1/admin/settings`, { method: "PUT", headers: auth, body: JSON.stringify({ blockList: { words: [], emails: [], domains: [], addresses: [] } }) });
});

describe("/admin settings: the block list", () => {
  it("saves words, addresses and domains; a matching comment goes to spam", async () => {
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByRole("button", { name: "Settings" }).click();
    const words = moderator.page.getByLabel("Words and phrases");
    await expect.poll(() => words.inputValue()).toBe("");
    await words.fill("miracle pills\n  \ncheap watches");
    await moderator.page.getByLabel("Link domains").fill("https://www.spam.example/offers");
    await moderator.page.getByRole("button", { name: "Save block list" }).click();
    await expect.poll(() => moderator.page.locator("plaudit-settings-view [role=status]").textContent()).toBe(
      "Block list saved. It applies to new comments everywhere within a minute.",
    );
    // Tidied as saved: blank lines gone, the domain alone.
    expect(await words.inputValue()).toBe("miracle pills\ncheap watches");
    expect(await moderator.page.getByLabel("Link domains").inputValue()).toBe("spam.example");

    const article = `settings-${Date.now()}`;
    const spam = await submit(article, "Seller", "Try these Miracle Pills today.", `198.18.${++counter}.7`);
    expect(spam.status).toBe("pending");
    expect(await spamIds(article)).toEqual([spam.id]);
  });

  it("blocks an author's network from the queue, their unverified email only if asked: the comment leaves for spam and Settings lists them", async () => {
    const article = `block-ui-${Date.now()}`;
    const ip = `198.18.${++counter}.8`;
    await submit(article, "Troll", "The first rude remark.", ip, "troll@example.com");
    const moderator = await reader();
    // Yes to blocking the author, no to blocking the email it carries.
    const dialogs: string[] = [];
    moderator.page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void (dialog.message().startsWith("Block troll@example.com too?") ? dialog.dismiss() : dialog.accept());
    });
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    // The filtered list, not the whole queue it replaces.
    await expect.poll(() => moderator.page.locator("plaudit-queue li.item").count()).toBe(1);
    const item = moderator.page.locator("plaudit-queue li.item").filter({ hasText: "The first rude remark." });
    await item.getByRole("button", { name: "Block this author" }).click();
    await expect.poll(() => item.count()).toBe(0);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toContain("Blocked Troll's network:");
    expect(dialogs[1]).toContain("not verified");

    const next = await submit(article, "Troll again", "Another rude remark.", ip);
    expect(await spamIds(article)).toContain(next.id);

    await moderator.page.getByRole("button", { name: "Settings" }).click();
    const blocked = moderator.page.locator("plaudit-settings-view ul.blocked li");
    await expect.poll(() => blocked.count()).toBe(1);
    expect(await blocked.textContent()).toContain(`Troll, on ${article}`);
    expect(await moderator.page.getByLabel("Email addresses").inputValue()).toBe("");
    await blocked.getByRole("button", { name: "Unblock" }).click();
    await expect.poll(() => blocked.count()).toBe(0);
  });
});

describe("/admin search", () => {
  it("finds pending comments by text, author or email, and clears back to the whole queue", async () => {
    const tag = `${Date.now()}`;
    const article = `search-ui-${tag}`;
    await submit(article, "Marie", `A note on radium ${tag}.`, `198.18.${++counter}.9`);
    await submit(article, "Pierre", "Unrelated remark.", `198.18.${++counter}.9`, `pierre-${tag}@example.com`);
    const moderator = await reader();
    await signIn(moderator);
    const items = moderator.page.locator("plaudit-queue li.item");
    await moderator.page.getByLabel("Search", { exact: true }).fill(`RADIUM ${tag}`);
    await moderator.page.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain("Marie");
    await moderator.page.getByLabel("Search", { exact: true }).fill(`pierre-${tag}`);
    await moderator.page.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => items.allTextContents()).toEqual([expect.stringContaining("Unrelated remark.")]);
    await moderator.page.getByLabel("Search", { exact: true }).fill(`nothing-${tag}`);
    await moderator.page.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => moderator.page.locator("plaudit-queue").getByText(`No pending comments matching “nothing-${tag}”.`).count()).toBe(1);
    await moderator.page.getByRole("button", { name: "Clear search" }).click();
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(2);
  });
});
