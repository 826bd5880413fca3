import { describe, expect, it } from "vitest";
import { axeViolations, expectNoProblems, openHostPage, useBrowser } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `colours-test-${Date.now()}-${++counter}`;
const embed = (article: string) => `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}"></script>`;

const HOSTS = {
  light: "body { background: #fff; color: #1a1a1a; }",
  dark: "body { background: #121212; color: #e8e8e8; }",
};

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = color.match(/[\d.]+/g)!.slice(0, 3).map((channel) => {
      const c = Number(channel) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe("colours follow the host page, not the OS", () => {
  for (const host of ["light", "dark"] as const) {
    for (const os of ["light", "dark"] as const) {
      it(`reads on a ${host} site under a ${os} OS: errors, focus ring, axe`, async () => {
        const visitor = await reader();
        await visitor.page.emulateMedia({ colorScheme: os });
        await openHostPage(visitor, baseUrl, embed(freshArticle()), { head: `<style>${HOSTS[host]}</style>` });
        const background = await visitor.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const comments = visitor.page.locator("plaudit-comments");
        await expect.poll(() => comments.locator("h2").textContent()).toBe("0 comments");

        // An empty form shows its errors; they must be readable on this page.
        await comments.getByRole("button", { name: "Post comment" }).click();
        const error = comments.locator("#author-error");
        await expect.poll(() => error.textContent()).toBe("Please fill this in.");
        expect(contrast(await error.evaluate((el) => getComputedStyle(el).color), background)).toBeGreaterThanOrEqual(4.5);
        expect(await axeViolations(visitor.page)).toEqual([]);

        // The keyboard focus ring: one of its two tones must stand out from the page (3:1).
        for (const focused of [comments.getByLabel("Name"), visitor.page.locator("plaudit-rating").getByRole("radio", { name: "1 star", exact: true })]) {
          await focused.focus();
          await visitor.page.keyboard.press("Shift+Tab");
          await visitor.page.keyboard.press("Tab");
          const ring = await focused.evaluate((el) => {
            const style = getComputedStyle(el);
            return { focusVisible: el.matches(":focus-visible"), outline: style.outlineColor, halo: style.boxShadow.match(/rgba?\([^)]*\)/)?.[0] ?? "" };
          });
          expect(ring.focusVisible).toBe(true);
          expect(Math.max(contrast(ring.outline, background), ring.halo ? contrast(ring.halo, background) : 0)).toBeGreaterThanOrEqual(3);
        }
        expectNoProblems(visitor);
      });
    }
  }

  it("takes the site's own error colour from --plaudit-error-color", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle()), { head: "<style>plaudit-comments { --plaudit-error-color: #8b0000; }</style>" });
    const comments = visitor.page.locator("plaudit-comments");
    await comments.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => comments.locator("#body-error").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(139, 0, 0)");
    expect(await comments.getByLabel("Comment", { exact: true }).evaluate((el) => getComputedStyle(el).borderTopColor)).toBe("rgb(139, 0, 0)");
  });
});
