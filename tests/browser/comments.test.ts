import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { axeViolations, expectNoProblems, openHostPage, useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const freshArticle = () => `comments-test-${Date.now()}-${++counter}`;
const embed = (article: string) => `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}"></script>`;

async function adminApi(method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}/api/v1/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
  return response.status === 204 ? null : response.json();
}

async function fillAndPost(visitor: Reader, fields: { author: string; body: string; website?: string }) {
  const form = visitor.page.locator("plaudit-comments form").last();
  await form.getByLabel("Name").fill(fields.author);
  if (fields.website) await form.getByLabel("Website (optional)").fill(fields.website);
  await form.getByLabel("Comment", { exact: true }).fill(fields.body);
  await form.getByRole("button", { name: "Post comment" }).click();
}

const thread = (visitor: Reader) => visitor.page.locator("plaudit-comments [part=comment]");

describe("<plaudit-comments>", () => {
  it("posts a comment that awaits moderation, survives a reload, and appears once approved", async () => {
    const visitor = await reader();
    const article = freshArticle();
    await openHostPage(visitor, baseUrl, embed(article));
    const widget = visitor.page.locator("plaudit-comments");
    await expect.poll(() => widget.getByRole("heading", { level: 2 }).textContent()).toBe("0 comments");
    expect(await widget.getByText("No comments yet. Start the conversation!").count()).toBe(1);

    await fillAndPost(visitor, { author: "Margaret", body: "A thoughtful first comment.\n\nWith a second paragraph." });
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Thanks! Your comment will appear once a moderator approves it.");
    await expect.poll(() => thread(visitor).count()).toBe(1);
    expect(await thread(visitor).first().locator("[part=pending]").textContent()).toBe("Awaiting moderation");
    expect(await thread(visitor).first().locator("[part=body] p").count()).toBe(2);

    await visitor.page.reload();
    await expect.poll(() => thread(visitor).first().locator("[part=pending]").count()).toBe(1);
    // The form remembers the reader's name (never their email) for next time.
    expect(await widget.locator("form").getByLabel("Name").inputValue()).toBe("Margaret");
    expect(await visitor.page.evaluate(() => JSON.stringify(localStorage))).not.toContain("@");

    const { comments } = await adminApi("GET", `/comments?status=pending&article=${encodeURIComponent(article)}`);
    expect(comments).toHaveLength(1);
    await adminApi("PATCH", `/comments/${encodeURIComponent(article)}/${comments[0].id}`, { status: "approved" });

    const stranger = await reader();
    await openHostPage(stranger, baseUrl, embed(article));
    await expect.poll(() => stranger.page.locator("plaudit-comments h2").textContent()).toBe("1 comment");
    expect(await thread(stranger).first().locator("[part=author]").textContent()).toBe("Margaret");
    expect(await thread(stranger).first().locator("time").getAttribute("datetime")).toMatch(/^\d{4}-/);
    expectNoProblems(visitor);
    expectNoProblems(stranger);
  });

  it("under pre-moderation, an edit of a published comment awaits review while others keep the old text", async () => {
    const visitor = await reader();
    const article = freshArticle();
    await openHostPage(visitor, baseUrl, embed(article));
    await fillAndPost(visitor, { author: "Switcher", body: "An innocent remark." });
    await expect.poll(() => thread(visitor).count()).toBe(1);
    const { comments } = await adminApi("GET", `/comments?status=pending&article=${encodeURIComponent(article)}`);
    await adminApi("PATCH", `/comments/${encodeURIComponent(article)}/${comments[0].id}`, { status: "approved" });

    await visitor.page.reload();
    const mine = thread(visitor).first();
    await expect.poll(() => mine.getByRole("button", { name: "Edit" }).count()).toBe(1);
    expect(await mine.locator("[part=pending]").count()).toBe(0);
    await mine.getByRole("button", { name: "Edit" }).click();
    await mine.getByLabel("Comment").fill("BUY CHEAP PILLS");
    await mine.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => mine.locator("[part=pending]").textContent()).toBe("Awaiting moderation");
    expect(await mine.locator("[part=body]").textContent()).toBe("BUY CHEAP PILLS");
    expect(await visitor.page.locator("plaudit-comments [part=status]").textContent()).toBe("Thanks! Your comment will appear once a moderator approves it.");

    const stranger = await reader();
    await openHostPage(stranger, baseUrl, embed(article));
    await expect.poll(() => thread(stranger).first().locator("[part=body]").textContent()).toBe("An innocent remark.");
    expectNoProblems(visitor);
    expectNoProblems(stranger);
  });

  it("validates inline, tied to the fields, before sending anything", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const form = visitor.page.locator("plaudit-comments form");
    await form.getByLabel("Email (optional, never published)").fill("not an email");
    await form.getByLabel("Website (optional)").fill("javascript:alert(1)");
    await form.getByRole("button", { name: "Post comment" }).click();
    const name = form.getByLabel("Name");
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await name.evaluate((el) => el.matches(":focus"))).toBe(true);
    const describedBy = await name.getAttribute("aria-describedby");
    expect(await form.locator(`#${describedBy}`).textContent()).toBe("Please fill this in.");
    expect(await form.locator("#email-error").textContent()).toBe("Please enter a valid email address.");
    expect(await form.locator("#website-error").textContent()).toBe("Please enter a web address starting with http:// or https://.");
    expect(await form.locator("#body-error").textContent()).toBe("Please fill this in.");
    await form.getByLabel("Comment", { exact: true }).fill("Twelve chars");
    expect(await form.locator("[part=counter]").textContent()).toBe("12 of 5,000 characters");
  });

  it("replies under a comment, and edits and deletes within the window", async () => {
    const article = freshArticle();
    const seed = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.77" },
      body: JSON.stringify({ author: "Host", body: "Opening remarks." }),
    }).then((r) => r.json());
    await adminApi("PATCH", `/comments/${encodeURIComponent(article)}/${seed.comment.id}`, { status: "approved" });

    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    await expect.poll(() => thread(visitor).count()).toBe(1);
    await thread(visitor).first().getByRole("button", { name: "Reply" }).click();
    expect(await visitor.page.locator("plaudit-comments [part=comment] h3").textContent()).toBe("Reply to Host");
    await fillAndPost(visitor, { author: "Guest", body: "A reply with a typo" });
    await expect.poll(() => thread(visitor).count()).toBe(2);
    const reply = thread(visitor).nth(1);
    expect(await reply.evaluate((el) => getComputedStyle(el).getPropertyValue("--depth"))).toBe("1");

    await reply.getByRole("button", { name: "Edit" }).click();
    await reply.getByLabel("Comment").fill("A reply without a typo");
    await reply.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => reply.locator("[part=body]").textContent()).toBe("A reply without a typo");

    await reply.getByRole("button", { name: "Delete" }).click();
    await reply.getByRole("button", { name: "Really delete?" }).click();
    await expect.poll(() => thread(visitor).count()).toBe(1);
    expect(await visitor.page.locator("plaudit-comments [part=status]").textContent()).toBe("Your comment was deleted.");
    expectNoProblems(visitor);
  });

  it("renders hostile author, website and body as inert text", async () => {
    const article = freshArticle();
    const payloads = {
      author: `<img src=x onerror="window.pwned=1">`,
      body: `</script><script>window.pwned=2</script>\n<svg onload="window.pwned=3"></svg> javascript:window.pwned=4 https://ok.example/"onclick="window.pwned=5`,
      website: "https://site.example/?q=<script>window.pwned=6</script>",
    };
    const posted = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.78" },
      body: JSON.stringify(payloads),
    }).then((r) => r.json());
    await adminApi("PATCH", `/comments/${encodeURIComponent(article)}/${posted.comment.id}`, { status: "approved" });
    const javascriptSite = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.79" },
      body: JSON.stringify({ author: "x", body: "y", website: "javascript:window.pwned=7" }),
    });
    expect(javascriptSite.status).toBe(400);

    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    await expect.poll(() => thread(visitor).count()).toBe(1);
    const item = thread(visitor).first();
    expect(await item.locator("[part=author]").textContent()).toBe(payloads.author);
    expect(await item.locator("img, script, svg").count()).toBe(0);
    expect(await item.locator("[part=body]").textContent()).toContain("</script><script>window.pwned=2</script>");
    const links = await item.locator("[part=body] a").evaluateAll((anchors) => anchors.map((a) => [a.getAttribute("href"), a.getAttribute("rel")]));
    expect(links).toEqual([["https://ok.example/", "nofollow ugc noopener"]]);
    expect(await item.locator("[part=author]").getAttribute("rel")).toBe("nofollow ugc noopener");
    expect(await visitor.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expectNoProblems(visitor);
  });

  it("pages in more comments with Load more", async () => {
    const article = freshArticle();
    for (let i = 0; i < 53; i += 1) {
      const posted = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.18.${i}.1` },
        body: JSON.stringify({ author: `Reader ${i}`, body: `Comment ${i} on paging` }),
      }).then((r) => r.json());
      await adminApi("PATCH", `/comments/${encodeURIComponent(article)}/${posted.comment.id}`, { status: "approved" });
    }
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    await expect.poll(() => thread(visitor).count()).toBe(50);
    expect(await visitor.page.locator("plaudit-comments h2").textContent()).toBe("53 comments");
    await visitor.page.locator("plaudit-comments").getByRole("button", { name: "Load more comments" }).click();
    await expect.poll(() => thread(visitor).count()).toBe(53);
    expect(await visitor.page.locator("plaudit-comments").getByRole("button", { name: "Load more comments" }).count()).toBe(0);
  });

  it("passes the axe check with the form and a thread on the demo article", async () => {
    const visitor = await reader();
    await visitor.page.goto(`${baseUrl}/`);
    await expect.poll(() => visitor.page.locator("plaudit-comments h2").count()).toBe(1);
    expect(await axeViolations(visitor.page)).toEqual([]);
  });
});
