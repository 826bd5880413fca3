import { expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { openHostPage, untilThreadCounts, useBrowser } from "./support/browser";
import { XSS_PAYLOADS } from "./support/xss-payloads";

const { baseUrl, reader } = useBrowser();

it(`renders ${XSS_PAYLOADS.length} script-injection payloads as inert text, in the widget and in /admin`, async () => {
  expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
  const article = `xss-corpus-${Date.now()}`;
  const admin = { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/json" };
  // Posted as readers post, then approved together from the moderation API, as a moderator's bulk
  // approval does: the article's writer shows them all within a turn or two.
  const posted: string[] = [];
  for (const [index, payload] of XSS_PAYLOADS.entries()) {
    const response = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.18.250.${index}` },
      // The website field only accepts http(s) addresses; a payload inside one is fine to try.
      body: JSON.stringify({ author: payload.slice(0, 80), body: `${index}: ${payload}`, website: `https://site.example/?p=${encodeURIComponent(payload)}` }),
    });
    expect(response.status, payload).toBe(201);
    posted.push((await response.json()).comment.id);
  }
  const approvals = await Promise.all(posted.map((id) => fetch(`${baseUrl}/api/v1/admin/comments/${encodeURIComponent(article)}/${id}`, { method: "PATCH", headers: admin, body: JSON.stringify({ status: "approved" }) })));
  expect(approvals.map((approval) => approval.status)).toEqual(posted.map(() => 200));
  await untilThreadCounts(baseUrl, article, XSS_PAYLOADS.length);

  const visitor = await reader();
  const dialogs: string[] = [];
  visitor.page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}"></script>`);
  const thread = visitor.page.locator("plaudit-comments [part=comment]");
  await expect.poll(() => thread.count()).toBe(50);
  const more = visitor.page.locator("plaudit-comments").getByRole("button", { name: "Load more comments" });
  if (await more.count()) await more.click();
  await expect.poll(() => thread.count()).toBe(XSS_PAYLOADS.length);
  const bodies = await visitor.page.locator("plaudit-comments [part=body]").allTextContents();
  for (const [index, payload] of XSS_PAYLOADS.entries()) expect(bodies).toContain(`${index}: ${payload}`);
  expect(await visitor.page.locator("plaudit-comments [part=thread]").locator("script, img, svg, iframe, object, embed, video, audio, style, form, input, meta, base, template").count()).toBe(0);
  const hrefs = await visitor.page.locator("plaudit-comments [part=thread] a").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href") ?? ""));
  expect(hrefs.every((href) => href.startsWith("https://"))).toBe(true);
  await visitor.page.mouse.move(200, 200);
  await visitor.page.waitForTimeout(300);

  const moderator = await reader();
  moderator.page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await moderator.page.goto(`${baseUrl}/admin`);
  await moderator.page.getByLabel("Admin token").fill(TEST_SECRETS.ADMIN_TOKEN);
  await moderator.page.getByRole("button", { name: "Sign in" }).click();
  await moderator.page.getByRole("tab", { name: /Approved/ }).click();
  await moderator.page.getByLabel("Article", { exact: true }).fill(article);
  await moderator.page.getByRole("button", { name: "Filter" }).click();
  const items = moderator.page.locator("plaudit-queue li.item");
  await expect.poll(() => items.count()).toBe(50);
  const moderated = await moderator.page.locator("plaudit-queue .body").allTextContents();
  for (const [index, payload] of XSS_PAYLOADS.slice(-50).entries()) expect(moderated).toContain(`${XSS_PAYLOADS.length - 50 + index}: ${payload}`);
  expect(await moderator.page.locator("plaudit-queue").locator("script, img, svg, iframe, object, embed, video, audio, style, meta, base, template").count()).toBe(0);

  for (const page of [visitor.page, moderator.page]) expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
}, 120_000);
