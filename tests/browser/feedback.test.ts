import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { expectNoProblems, openHostPage, useBrowser } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `feedback-test-${Date.now()}-${++counter}`;

describe("feedback on a low rating", () => {
  it("asks a 1-star reader what could be better by default, under a strict CSP, and the answer reaches /admin only", async () => {
    const article = freshArticle();
    const visitor = await reader();
    const requested: string[] = [];
    visitor.page.on("request", (request) => requested.push(request.url()));
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/rating.js" data-mount data-article="${article}"></script>`, {
      headers: { "Content-Security-Policy": `default-src 'none'; script-src ${baseUrl}; connect-src ${baseUrl}; style-src 'self'` },
    });
    const stars = visitor.page.locator("plaudit-rating");
    await stars.getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => stars.getByRole("status").textContent()).toBe("Thanks for rating!");
    // A good rating asks nothing, and fetches nothing more.
    expect(requested.some((url) => url.endsWith("/feedback.js"))).toBe(false);
    expect(await visitor.page.locator("plaudit-feedback").count()).toBe(0);

    await stars.getByRole("radio", { name: "1 star", exact: true }).click();
    const form = visitor.page.locator("plaudit-feedback");
    const question = form.getByLabel("What could be better?");
    await expect.poll(() => question.count()).toBe(1);
    await question.fill("The steps are out of order.");
    await form.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toBe("Thank you! The author will read this.");
    // Nothing of it on the page's public data.
    const publicData = await (await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}`)).text();
    expect(publicData).not.toContain("out of order");
    expectNoProblems(visitor);

    const moderator = await reader();
    moderator.page.on("dialog", (dialog) => void dialog.accept());
    await moderator.page.goto(`${baseUrl}/admin`);
    await moderator.page.getByLabel("Admin token").fill(TEST_SECRETS.ADMIN_TOKEN);
    await moderator.page.getByRole("button", { name: "Sign in" }).click();
    await moderator.page.getByRole("button", { name: "Feedback" }).click();
    const entry = moderator.page.locator("plaudit-feedback-view li").filter({ hasText: "The steps are out of order." });
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.textContent()).toContain("1 star");
    expect(await entry.textContent()).toContain(article);
    await entry.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => entry.count()).toBe(0);
    await expect.poll(() => moderator.page.locator("plaudit-feedback-view [role=status]").textContent()).toBe("Feedback deleted.");
  });

  it("lets a moderator select answers and delete them together", async () => {
    const article = freshArticle();
    for (const [n, body] of ["Too long.", "Too short."].entries()) {
      const voter = `bulk_${crypto.randomUUID().replaceAll("-", "")}`;
      const headers = { "Content-Type": "application/json", "CF-Connecting-IP": `203.0.113.${200 + n}` };
      const path = `${baseUrl}/api/v1/articles/${encodeURIComponent(article)}`;
      expect((await fetch(`${path}/vote`, { method: "PUT", headers, body: JSON.stringify({ voter, rating: 1 }) })).status).toBe(200);
      expect((await fetch(`${path}/feedback`, { method: "POST", headers, body: JSON.stringify({ voter, body }) })).status).toBe(201);
    }
    const moderator = await reader();
    moderator.page.on("dialog", (dialog) => void dialog.accept());
    await moderator.page.goto(`${baseUrl}/admin`);
    await moderator.page.getByLabel("Admin token").fill(TEST_SECRETS.ADMIN_TOKEN);
    await moderator.page.getByRole("button", { name: "Sign in" }).click();
    await moderator.page.getByRole("button", { name: "Feedback" }).click();
    const view = moderator.page.locator("plaudit-feedback-view");
    const mine = view.locator("li").filter({ hasText: article });
    await expect.poll(() => mine.count()).toBe(2);
    for (const checkbox of await mine.getByRole("checkbox").all()) await checkbox.check();
    await expect.poll(() => view.getByText("2 selected").count()).toBe(1);
    await view.getByRole("button", { name: "Delete selected" }).click();
    await expect.poll(() => view.locator("[role=status]").textContent()).toBe("2 answers deleted.");
    expect(await mine.count()).toBe(0);
    // Gone for good, not just from the page.
    const listed = await (await fetch(`${baseUrl}/api/v1/admin/feedback?limit=100`, { headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` } })).json();
    expect(JSON.stringify(listed)).not.toContain(article);
  });

  it("goes away with No thanks, sending nothing", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js" data-mount data-article="${freshArticle()}"></script>`);
    await visitor.page.locator("plaudit-rating").getByRole("radio", { name: "2 stars" }).click();
    const form = visitor.page.locator("plaudit-feedback");
    await expect.poll(() => form.getByRole("button", { name: "No thanks" }).count()).toBe(1);
    await form.getByRole("button", { name: "No thanks" }).click();
    await expect.poll(() => form.count()).toBe(0);
  });

  it("asks once, even with embed.js and rating.js both on the page", async () => {
    const visitor = await reader();
    const article = freshArticle();
    await openHostPage(
      visitor,
      baseUrl,
      `<script async src="${baseUrl}/embed.js"></script><script async src="${baseUrl}/rating.js"></script><plaudit-rating article="${article}"></plaudit-rating>`,
    );
    await visitor.page.locator("plaudit-rating").getByRole("radio", { name: "1 star", exact: true }).click();
    await expect.poll(() => visitor.page.locator("plaudit-feedback").count()).toBe(1);
    await visitor.page.waitForTimeout(300);
    expect(await visitor.page.locator("plaudit-feedback").count()).toBe(1);
  });

  it("asks nothing where the site turned it off, with feedback=\"off\" or data-feedback=\"off\", nor on a read-only rating", async () => {
    const visitor = await reader();
    const requested: string[] = [];
    visitor.page.on("request", (request) => requested.push(request.url()));
    const article = freshArticle();
    await openHostPage(
      visitor,
      baseUrl,
      `<script async src="${baseUrl}/rating.js" data-mount data-feedback="off" data-article="${freshArticle()}"></script>` +
        `<plaudit-rating article="${article}" feedback="off"></plaudit-rating><plaudit-rating article="${article}" readonly></plaudit-rating>`,
    );
    const [mounted, placed, readonly] = [0, 1, 2].map((index) => visitor.page.locator("plaudit-rating").nth(index));
    expect(await mounted!.getAttribute("feedback")).toBe("off");
    for (const [stars, name] of [
      [mounted!, "1 star"],
      [placed!, "2 stars"],
    ] as const) {
      await stars.getByRole("radio", { name, exact: true }).click();
      await expect.poll(() => stars.getByRole("status").textContent()).toBe("Thanks for rating!");
    }
    expect(await readonly!.getByRole("radio").count()).toBe(0);
    await visitor.page.waitForTimeout(300);
    expect(await visitor.page.locator("plaudit-feedback").count()).toBe(0);
    expect(requested.some((url) => url.endsWith("/feedback.js"))).toBe(false);
    expectNoProblems(visitor);
  });
});
