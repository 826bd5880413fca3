import type { Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoProblems, importComments, openHostPage, useBrowser, type Reader } from "./support/browser";

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

const SHORT = "Same here: we tried it last spring and would go again.";
const LONG = "We did this route with two children and a dog, and the advice about leaving early held up: by ten the car parks were full and the path was crowded, so it is worth the alarm clock.";

/** A blog post as themes lay one out: header, article and comments, a sidebar on the right, then the footer. */
const blogPost = (id: string) => `<header class="site"><p class="brand">A customer's blog</p><nav><a href="/">Home</a> <a href="/archive/">Archive</a> <a href="/about/">About</a></nav></header>
<div class="layout">
  <main>
    <article><h1>A long walk home</h1><plaudit-rating article="${id}"></plaudit-rating>${article(14)}</article>
    <h2 id="comments">Comments</h2>
    <plaudit-comments article="${id}"></plaudit-comments>
  </main>
  <aside class="sidebar">
    <section><h2>About</h2>${article(2)}</section>
    <section><h2>Recent posts</h2><ul>${["Spring in the hills", "A map that lied", "Packing light", "The night bus", "Rain again"].map((title) => `<li><a href="/">${title}</a></li>`).join("")}</ul></section>
    <section class="follow"><h2>Newsletter</h2><p>One letter a month, nothing else.</p><form><input type="email" aria-label="Email"> <button>Subscribe</button></form></section>
  </aside>
</div>
<footer class="site"><p>© A customer's blog</p><p>${PARAGRAPH}</p></footer>`;

const BLOG_CSS = `
  body { margin: 0; font: 16px/1.6 Georgia, serif; }
  header.site, footer.site { padding: 1rem 1.5rem; background: #eee; }
  header.site { display: flex; justify-content: space-between; flex-wrap: wrap; }
  .layout { display: grid; grid-template-columns: minmax(0, 1fr) 18rem; gap: 2.5rem; max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
  .sidebar section { margin-bottom: 2rem; }
  /* Themes often keep the last sidebar box in view as the reader scrolls. */
  .sidebar .follow { position: sticky; top: 1rem; }
  footer.site { margin-top: 2rem; }
  @media (max-width: 48rem) { .layout { grid-template-columns: minmax(0, 1fr); } }
`;

/** Serve the whole blog page (its own header, sidebar and footer, README's CSS in its stylesheet) on another origin. */
async function openBlogPage(visitor: Reader, body: string, hash = "") {
  const origin = baseUrl.replace("127.0.0.1", "localhost");
  await visitor.page.route(`${origin}/host/**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>A long walk home</title><style>${BLOG_CSS}${README_CSS}</style><script async src="${baseUrl}/embed.js"></script></head><body>${body}</body></html>`,
    }),
  );
  await visitor.page.goto(`${origin}/host/post/${hash}`);
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
});

describe("no layout shift on a blog page that follows README (header, sidebar on the right, footer)", () => {
  // A small phone, a tall one (the form leaves room for what follows it) and a laptop.
  const screens = [[375, 667], [375, 812], [1280, 800]] as const;

  for (const [width, height] of screens) {
    it(`stars under the post's title at ${width}×${height}: CLS <= 0.01`, async () => {
      const visitor = await reader();
      await visitor.page.setViewportSize({ width, height });
      const gate = await holdWidget(visitor);
      const opened = openBlogPage(visitor, blogPost(freshArticle()));
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

  // A reader following a "5 comments" link lands on the heading above the thread; a short thread
  // must not pull the footer up either once it has arrived.
  const threads = { "five comments": [SHORT, LONG, SHORT, LONG, SHORT], "one comment": [SHORT] };
  for (const [width, height] of screens) {
    for (const [thread, bodies] of Object.entries(threads)) {
      it(`comments opened at #comments, ${thread} arriving late, at ${width}×${height}: CLS <= 0.02`, async () => {
        const id = freshArticle();
        await importComments(baseUrl, id, bodies);
        const visitor = await reader();
        await visitor.page.setViewportSize({ width, height });
        const gate = await holdWidget(visitor);
        const opened = openBlogPage(visitor, blogPost(id), "#comments");
        await visitor.page.waitForURL("**/host/post/#comments", { waitUntil: "domcontentloaded" });
        await gate.release("script");
        await opened;
        const widget = visitor.page.locator("plaudit-comments");
        await expect.poll(() => widget.getByRole("button", { name: "Post comment" }).count()).toBe(1);
        // The reader is where the link took them: the comments' heading at the top of the screen.
        expect(Math.abs(await visitor.page.locator("#comments").evaluate((heading) => heading.getBoundingClientRect().top))).toBeLessThan(1);
        await gate.release("api");
        await expect.poll(() => widget.locator("[part=comment]").count()).toBe(bodies.length);
        expect(await gate.cls()).toBeLessThanOrEqual(0.02);
        expectNoProblems(visitor);
      });
    }
  }
});
