import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { expectNoProblems, openHostPage, useBrowser } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `rtl-test-${Date.now()}-${++counter}`;
const embed = (article: string) => `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}"></script>`;

async function seedThread(article: string) {
  const post = async (body: Record<string, string>, ip: string) => {
    const { comment } = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
      body: JSON.stringify(body),
    }).then((response) => response.json());
    await fetch(`${baseUrl}/api/v1/admin/comments/${encodeURIComponent(article)}/${comment.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "approved" }),
    });
    return comment.id as string;
  };
  const parentId = await post({ author: "أمل", body: "تعليق أول" }, "198.51.100.120");
  await post({ author: "Reply", body: "A reply", parentId }, "198.51.100.121");
}

describe("on right-to-left and left-to-right pages", () => {
  it("never scrolls sideways, at phone to desktop widths, with a thread and the reply form open", async () => {
    const article = freshArticle();
    await seedThread(article);
    for (const dir of ["rtl", "ltr"] as const) {
      const visitor = await reader();
      await openHostPage(visitor, baseUrl, embed(article), { lang: dir === "rtl" ? "ar" : "en", dir });
      const comments = visitor.page.locator("plaudit-comments [part=comment]");
      await expect.poll(() => comments.count()).toBe(2);
      // The first comment's own Reply, not those of the replies nested in it.
      await comments.first().locator(":scope > [part=actions]").getByRole("button", { name: "Reply" }).click();
      await visitor.page.locator("plaudit-rating").getByRole("button", { name: "Rating details" }).click();
      // Measured once details.js has filled the table, not before.
      await expect.poll(() => visitor.page.locator("plaudit-rating").getByRole("table").getByRole("rowheader").count()).toBe(5);
      for (const width of [320, 375, 768, 1280]) {
        await visitor.page.setViewportSize({ width, height: 800 });
        const { scrollWidth, clientWidth } = await visitor.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
        expect({ dir, width, overflow: scrollWidth - clientWidth }).toEqual({ dir, width, overflow: 0 });
      }
      // Replies indent on the side the page reads from.
      const [parent, reply] = await comments.evaluateAll((items) => items.map((item) => item.getBoundingClientRect()));
      if (dir === "rtl") expect(parent!.right - reply!.right).toBeGreaterThanOrEqual(20);
      else expect(reply!.left - parent!.left).toBeGreaterThanOrEqual(20);
      expectNoProblems(visitor);
      await visitor.context.close();
    }
  });

  it("keeps English (the fallback for a language without a pack) readable on an Arabic page", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle()), { lang: "ar", dir: "rtl" });
    const prompt = visitor.page.locator("plaudit-rating [part=prompt]");
    await expect.poll(() => prompt.textContent()).toBe("Click to rate this entry!");
    await expect.poll(() => visitor.page.locator("plaudit-rating [part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");
    // Where the first and last characters are drawn: "!" must follow "entry", not precede "Click".
    const ends = (selector: string) =>
      visitor.page.locator(selector).evaluate((element) => {
        const text = [...element.childNodes].find((node): node is Text => node.nodeType === Node.TEXT_NODE && !!node.textContent?.trim())!;
        const at = (index: number) => {
          const range = document.createRange();
          range.setStart(text, index);
          range.setEnd(text, index + 1);
          return range.getBoundingClientRect().left;
        };
        return at(text.length - 1) - at(0);
      });
    expect(await ends("plaudit-rating [part=prompt]")).toBeGreaterThan(0);
    expect(await ends("plaudit-rating [part=legend]")).toBeGreaterThan(0);
    expect(await ends("plaudit-comments [part=empty]")).toBeGreaterThan(0);
    // The layout itself still follows the page: star 1 is on the right.
    const [first, fifth] = await visitor.page.locator("plaudit-rating [part=star]").evaluateAll((stars) => [stars[0]!.getBoundingClientRect().x, stars[4]!.getBoundingClientRect().x]);
    expect(first).toBeGreaterThan(fifth!);
  });
});
