import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { TEST_SECRETS } from "../../secrets";

declare module "vitest" {
  export interface ProvidedContext {
    /** The developer's own Chromium or Chrome, found by scripts/find-chromium.mjs; never a download. */
    chromiumPath: string;
  }
}

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  // Host pages and Worker both live on loopback here; on the web a blog and a Worker are public
  // sites, so Chromium's local-network permission prompt never applies to real embeds.
  "--disable-features=LocalNetworkAccessChecks",
];

let ipCounter = 0;
// Each test file numbers its readers from 1, and the Worker's write allowance is per address for a
// minute: a random network per file keeps readers of different files from sharing one.
const network = `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

export interface Reader {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions the page produced. */
  problems: string[];
}

/** One browser for the test file; `reader()` opens a fresh profile with its own client IP. */
export function useBrowser() {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: inject("chromiumPath"), args: LAUNCH_ARGS });
  });
  afterAll(async () => browser?.close());

  return {
    baseUrl: inject("baseUrl"),
    async reader(options: { ip?: string; locale?: string; hasTouch?: boolean; forcedColors?: "active" } = {}): Promise<Reader> {
      ipCounter += 1;
      // wrangler dev passes this header through, so each reader counts as its own network.
      const ip = options.ip ?? `${network}.${ipCounter}`;
      const context = await browser.newContext({
        extraHTTPHeaders: { "CF-Connecting-IP": ip },
        locale: options.locale ?? "en-US",
        hasTouch: options.hasTouch,
        forcedColors: options.forcedColors,
      });
      // Playwright gives a page load 30 s; under a CPU hog /admin once took longer. The test's own
      // 60 s timeout still catches a page that never loads.
      context.setDefaultNavigationTimeout(55_000);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      return { context, page, problems };
    },
  };
}

export interface HostPage {
  /** The page's `lang` attribute. */
  lang?: string;
  /** The page's `dir` attribute. */
  dir?: "ltr" | "rtl";
  /** Where the page lives under the host origin, percent-encoded as a browser sends it. */
  path?: string;
  /** Extra markup for <head>, such as the site's own stylesheet. */
  head?: string;
  /** Response headers, such as the site's Content-Security-Policy. */
  headers?: Record<string, string>;
}

/**
 * Open a page on another origin that embeds the widget exactly as a customer site would: a
 * cross-origin script tag pointing at the Worker. `localhost` vs `127.0.0.1` makes it a different
 * site that is still on this machine.
 */
export async function openHostPage(reader: Reader, baseUrl: string, body: string, page: string | HostPage = {}): Promise<string> {
  const { lang = "en", dir = "ltr", path = "/host/post/", head = "", headers = {} } = typeof page === "string" ? { lang: page } : page;
  const origin = baseUrl.replace("127.0.0.1", "localhost");
  await reader.page.route(`${origin}/host/**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      headers,
      body: `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>A customer's blog</title>${head}</head><body><main><h1>A post</h1>${body}</main></body></html>`,
    }),
  );
  await reader.page.goto(`${origin}${path}`);
  return origin;
}

/**
 * A slow network, made deterministic: requests matching `url` (and `when`) reach the server at
 * once, but their answers reach the page only after `release()`. `read` settles once the first
 * such request has been answered by the server, so a test can act "after the read, before the answer".
 */
export async function answerLate(page: Page, url: string, when: (request: URL) => boolean = () => true) {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let markRead = () => {};
  const read = new Promise<void>((resolve) => (markRead = resolve));
  await page.route(url, async (route) => {
    if (!when(new URL(route.request().url()))) return route.continue();
    const response = await route.fetch();
    markRead();
    await held;
    await route.fulfill({ response });
  });
  return { read, release };
}

const require = createRequire(import.meta.url);

/** Run axe-core on the page (shadow roots included) and return its violations. */
export async function axeViolations(page: Page) {
  // Evaluated through the DevTools protocol, so it also works under /admin's strict CSP.
  await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context?: unknown, options?: unknown) => Promise<any> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return (result.violations as { id: string; help: string; nodes: { target: unknown }[] }[]).map(
    (v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`,
  );
}

export function expectNoProblems(reader: Reader) {
  expect(reader.problems).toEqual([]);
}

/** Run the Worker's minute cron once (wrangler dev --test-scheduled), as Cloudflare does every minute. */
export async function runCron(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
  if (!response.ok) throw new Error(`the cron failed: ${response.status} ${await response.text()}`);
}

/**
 * Publish many comments on one article at once, as `npm run import` would, and let the cron lay out
 * the thread: one article's thread takes one change per 1.5 s (KV's write limit), so sixty posts or
 * approvals one by one would take a minute and a half.
 */
export async function importComments(baseUrl: string, article: string, bodies: string[]): Promise<void> {
  const records = bodies.map((body, i) =>
    JSON.stringify({ type: "comment", source: "wordpress", sourceId: `${article}-${i}`, article, author: `Reader ${i}`, body, createdAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(), status: "approved" }),
  );
  const response = await fetch(`${baseUrl}/api/v1/admin/import`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/x-ndjson" },
    body: records.join("\n"),
  });
  if (!response.ok) throw new Error(`the import failed: ${response.status} ${await response.text()}`);
  await runCron(baseUrl);
}

/** Post a comment as a reader at `ip` would, then approve it from the moderation API; its id. */
export async function publishComment(baseUrl: string, article: string, comment: { author: string; body: string; parentId?: string }, ip: string): Promise<string> {
  const posted = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify(comment),
  }).then((response) => response.json());
  const approved = await fetch(`${baseUrl}/api/v1/admin/comments/${encodeURIComponent(article)}/${posted.comment.id}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ status: "approved" }),
  });
  expect(approved.ok).toBe(true);
  await untilThreadShows(baseUrl, article, [posted.comment.id]);
  return posted.comment.id as string;
}

/**
 * Wait until the public thread's first page shows these comments: the article's writer shows a
 * change made within a turn (1.5 s) of its last one a moment after it answered, as a reader a
 * second later sees.
 */
/** Wait until the public thread counts `count` comments (see untilThreadShows). */
export async function untilThreadCounts(baseUrl: string, article: string, count: number): Promise<void> {
  await expect.poll(async () => (await pageView(baseUrl, article)).comments.count).toBe(count);
}

/** The page view, as a reader's browser asks for it (free of the read allowance that pages of comments cost). */
async function pageView(baseUrl: string, article: string): Promise<{ comments: { count: number; items: { id: string }[] } }> {
  return (await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}`)).json();
}

export async function untilThreadShows(baseUrl: string, article: string, ids: string[]): Promise<void> {
  await expect
    .poll(async () => {
      const shown = new Set((await pageView(baseUrl, article)).comments.items.map((comment) => comment.id));
      return ids.filter((id) => !shown.has(id));
    })
    .toEqual([]);
}

