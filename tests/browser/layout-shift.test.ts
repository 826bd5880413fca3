import type { Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoProblems, openHostPage, publishComment, useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `cls-test-${Date.now()}-${++counter}`;

/** The `css` block README gives beside the embed snippet, read from README itself. */
const README_CSS = await import("node:fs").then(({ readFileSync }) => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const block = /<!-- reserve-space -->\s*```css\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README has no reserve-space css block");
  return block[1]!;
});

const PARAGRAPH = "<p>The ride home took twice as long as planned, which turned out to be the point of the whole thing, and nobody minded.</p>";
const article = (paragraphs: number) => PARAGRAPH.repeat(paragraphs);

/**
 * A gate on the widget script and the API: both answer only when released, so the test decides
 * that they arrive after the page has painted, as they do on a slow network.
 */
function gate() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

async function holdWidget(visitor: Reader) {
  const gates = { script: gate(), api: gate() };
  const hold = (gate: { promise: Promise<void> }) => async (route: Route) => {
    await gate.promise;
    await route.continue();
  };
  await visitor.page.route(`${baseUrl}/*.js`, hold(gates.script));
  await visitor.page.route(`${baseUrl}/api/**`, hold(gates.api));
  // Every layout shift the reader did not cause, summed as Chromium's CLS does.
  await visitor.page.addInitScript(() => {
    const page = window as unknown as { cls: number };
    page.cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) page.cls += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  const painted = () => visitor.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return {
    async release(which: "script" | "api") {
      await painted();
      gates[which].resolve();
    },
    async cls() {
      await painted();
      return visitor.page.evaluate(() => (window as unknown as { cls: number }).cls);
    },
  };
}

async function approvedComments(id: string, count: number) {
  for (let i = 0; i < count; i += 1) {
    await publishComment(baseUrl, id, { author: `Reader ${i}`, body: `Comment number ${i}, long enough to wrap onto a second line on a phone screen.` }, `198.51.100.${140 + i}`);
  }
}

describe("no layout shift on a host page that follows README", () => {
  const stars = (id: string) => `<plaudit-rating article="${id}"></plaudit-rating>`;
  const placements = {
    "under the title": (id: string) => `${stars(id)}${article(12)}`,
    "in the middle of the article": (id: string) => `${article(3)}${stars(id)}${article(9)}`,
    "in a narrow sidebar": (id: string) => `<div style="display:flex;gap:1rem"><div>${article(12)}</div><aside style="flex:0 0 12rem">${stars(id)}</aside></div>`,
  };
  for (const width of [375, 1280]) {
    for (const [placement, body] of Object.entries(placements)) {
      it(`stars ${placement} at ${width} px: CLS <= 0.01`, async () => {
        const visitor = await reader();
        await visitor.page.setViewportSize({ width, height: 800 });
        const gate = await holdWidget(visitor);
        const id = freshArticle();
        // The held async script holds the load event too, so the page is only "committed" here.
        const opened = openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/rating.js"></script>${body(id)}`, { head: `<style>${README_CSS}</style>` });
        await visitor.page.waitForURL("**/host/post/", { waitUntil: "domcontentloaded" });
        await gate.release("script");
        await opened;
        const widget = visitor.page.locator("plaudit-rating");
        await expect.poll(() => widget.getByRole("radio").count()).toBe(5);
        await gate.release("api");
        await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");
        expect(await gate.cls()).toBeLessThanOrEqual(0.01);
        expectNoProblems(visitor);
      });
    }
  }

  for (const [width, height] of [[375, 667], [1280, 800]]) {
    it(`comments, when a reader lands on them and the API answers late, at ${width} px: CLS <= 0.02`, async () => {
      const id = freshArticle();
      await approvedComments(id, 3);
      const visitor = await reader();
      await visitor.page.setViewportSize({ width: width!, height: height! });
      const gate = await holdWidget(visitor);
      const opened = openHostPage(
        visitor,
        baseUrl,
        `<script async src="${baseUrl}/embed.js"></script>${stars(id)}${article(20)}<section id="comments"><plaudit-comments article="${id}"></plaudit-comments></section><footer><p>© A customer's blog</p></footer>`,
        { head: `<style>${README_CSS}</style>`, path: "/host/post/#comments" },
      );
      await visitor.page.waitForURL("**/host/post/#comments", { waitUntil: "domcontentloaded" });
      await gate.release("script");
      await opened;
      const widget = visitor.page.locator("plaudit-comments");
      await expect.poll(() => widget.getByRole("button", { name: "Post comment" }).count()).toBe(1);
      await gate.release("api");
      await expect.poll(() => widget.locator("[part=comment]").count()).toBe(3);
      expect(await gate.cls()).toBeLessThanOrEqual(0.02);
      expectNoProblems(visitor);
    });
  }
});
