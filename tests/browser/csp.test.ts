import { describe, expect, it } from "vitest";
import { expectNoProblems, openHostPage, publishComment, useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `csp-test-${Date.now()}-${++counter}`;

/** Exactly the policy docs/embedding.md's "Content Security Policy" asks a host for, and nothing more. */
const STRICT_CSP = `default-src 'none'; script-src ${baseUrl}; connect-src ${baseUrl}; style-src 'self'`;

/** Record every CSP violation, including those raised inside the widgets' shadow roots. */
async function watchViolations(visitor: Reader) {
  await visitor.page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { violations: string[] }).violations = []);
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective}: ${event.blockedURI} ${event.sample}`), true);
  });
  return () => visitor.page.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

function postApproved(article: string, comment: { author: string; body: string; parentId?: string }, ip: string) {
  return publishComment(baseUrl, article, comment, ip);
}

describe("under a host's strict Content Security Policy (no 'unsafe-inline')", () => {
  it("fills the stars, votes, shows the histogram and indents replies, without one violation", async () => {
    const article = freshArticle();
    const parentId = await postApproved(article, { author: "First", body: "Top-level remark." }, "198.51.100.90");
    await postApproved(article, { author: "Second", body: "A reply.", parentId }, "198.51.100.91");

    const visitor = await reader();
    const violations = await watchViolations(visitor);
    // Spanish, so the language pack is fetched and the widgets are shown only once it arrives.
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}"></script>`, {
      lang: "es",
      headers: { "Content-Security-Policy": STRICT_CSP },
    });
    const rating = visitor.page.locator("plaudit-rating");
    await expect.poll(() => rating.locator("[part=legend]").textContent()).toBe("(Votos: 0 Media: 0)");
    expect(await rating.locator("[part=base]").evaluate((el) => getComputedStyle(el).visibility)).toBe("visible");

    await rating.getByRole("radio", { name: "4 estrellas" }).click();
    await expect.poll(() => rating.locator("[part=legend]").textContent()).toBe("(Votos: 1 Media: 4)");
    await visitor.page.mouse.move(0, 0);
    const fills = () => rating.locator("[part=star-shape]").evaluateAll((stars) => stars.map((star) => getComputedStyle(star).getPropertyValue("--fill")));
    await expect.poll(fills).toEqual(["100%", "100%", "100%", "100%", "0%"]);
    // What the reader sees: the fourth star painted in the star colour, the fifth not at all.
    const painted = (index: number) => rating.locator("[part=star-shape]").nth(index).evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(await painted(3)).toMatch(/rgb\(232, 163, 23\) 100%/);
    expect(await painted(4)).toMatch(/rgb\(232, 163, 23\) 0%/);

    await rating.getByRole("button", { name: "Detalle de valoraciones" }).click();
    const bars = rating.locator("[part=bar]");
    await expect.poll(() => bars.evaluateAll((all) => all.map((bar) => getComputedStyle(bar).getPropertyValue("--fill")))).toEqual(["0%", "100%", "0%", "0%", "0%"]);

    const comments = visitor.page.locator("plaudit-comments [part=comment]");
    await expect.poll(() => comments.count()).toBe(2);
    const indent = (index: number) => comments.nth(index).evaluate((el) => el.getBoundingClientRect().left);
    expect((await indent(1)) - (await indent(0))).toBeGreaterThanOrEqual(20);

    expect(await violations()).toEqual([]);
    expectNoProblems(visitor);
  });

  it("runs rating.js alone under the same policy", async () => {
    const visitor = await reader();
    const violations = await watchViolations(visitor);
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/rating.js" data-mount data-article="${freshArticle()}"></script>`, {
      headers: { "Content-Security-Policy": STRICT_CSP },
    });
    const rating = visitor.page.locator("plaudit-rating");
    await rating.getByRole("radio", { name: "3 stars" }).click();
    await expect.poll(() => rating.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 3)");
    await visitor.page.mouse.move(0, 0);
    await expect
      .poll(() => rating.locator("[part=star-shape]").evaluateAll((stars) => stars.map((star) => getComputedStyle(star).getPropertyValue("--fill"))))
      .toEqual(["100%", "100%", "100%", "0%", "0%"]);
    expect(await violations()).toEqual([]);
    expectNoProblems(visitor);
  });
});
