import { describe, expect, it } from "vitest";
import { relativeTime } from "../../widget/comments/thread";
import { expectNoProblems, importComments, openHostPage, useBrowser } from "./support/browser";

const { baseUrl, reader } = useBrowser();

/** Any letter of Chinese, Japanese, Thai or Hebrew: none may show in copy that fell back to English. */
const NOT_ENGLISH = /[\u0590-\u05ff\u0e00-\u0e7f\u3040-\u30ff\u4e00-\u9fff]/;

async function seedVote(article: string, rating: number) {
  const response = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/vote`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.77" },
    body: JSON.stringify({ voter: `seed_${crypto.randomUUID().replaceAll("-", "")}`, rating }),
  });
  expect(response.ok).toBe(true);
}

describe("a page in a language Plaudit has no pack for", () => {
  it("reads English throughout on a zh-CN page: plurals, numbers and relative times too", async () => {
    const article = `/fallback/zh-${Date.now()}/`;
    // One comment, imported with its date of 2024-01-01.
    await importComments(baseUrl, article, ["写得很好"]);
    await seedVote(article, 5);

    const visitor = await reader();
    await openHostPage(
      visitor,
      baseUrl,
      `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}"></script><plaudit-count article="${article}"></plaudit-count>`,
      { lang: "zh-CN" },
    );
    const rating = visitor.page.locator("plaudit-rating");
    await expect.poll(() => rating.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 5)");
    expect(await rating.locator("#summary").textContent()).toBe("Rated 5 out of 5 by 1 reader");
    await expect.poll(() => rating.getByRole("radio").evaluateAll((stars) => stars.map((star) => star.getAttribute("aria-label")))).toEqual(["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]);

    const comments = visitor.page.locator("plaudit-comments");
    await expect.poll(() => comments.locator("#heading").textContent()).toBe("1 comment");
    const ago = relativeTime("2024-01-01T00:00:00.000Z", "en");
    expect(relativeTime("2024-01-01T00:00:00.000Z", "zh-CN"), "the page's own grammar would differ").not.toBe(ago);
    expect(await comments.locator("[part=time]").textContent()).toBe(ago);

    const count = visitor.page.locator("plaudit-count");
    await expect.poll(() => count.locator("[part=votes]").textContent()).toBe("(1 vote)");
    expect(await count.locator("[part=comments]").textContent()).toBe("1 comment");
    expectNoProblems(visitor);
    await visitor.context.close();
  });

  it("on /themes, the right-to-left example in Hebrew is English throughout, stars filling from the right", async () => {
    const visitor = await reader();
    await visitor.page.goto(`${baseUrl}/themes`);
    const rating = visitor.page.locator('section[lang="he"] plaudit-rating');
    await expect.poll(() => rating.locator("[part=prompt]").textContent()).toBe("Click to rate this entry!");
    await expect.poll(() => rating.locator("[part=legend]").textContent()).toMatch(/^\(Votes: \d+ Average: [\d.]+\)$/);
    expect(await rating.getByRole("button", { name: "Rating details" }).count()).toBe(1);
    const shown = await rating.evaluate((element) => element.shadowRoot!.textContent);
    expect(shown).not.toMatch(NOT_ENGLISH);
    const [first, fifth] = await rating.locator("[part=star]").evaluateAll((stars) => [stars[0]!.getBoundingClientRect().x, stars[4]!.getBoundingClientRect().x]);
    expect(first).toBeGreaterThan(fifth!);
    expectNoProblems(visitor);
    await visitor.context.close();
  });
});
