import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { answerLate, axeViolations, expectNoProblems, importComments, openHostPage, useBrowser, type Reader } from "./support/browser";

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

let seedIp = 0;
/** A published comment, posted straight to the API and approved. */
async function seedApproved(article: string, author: string, body: string, parentId?: string): Promise<string> {
  const posted = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.51.100.${++seedIp % 250}` },
    body: JSON.stringify({ author, body, parentId }),
  }).then((r) => r.json());
  await adminApi("PATCH", `/comments/${encodeURIComponent(article)}/${posted.comment.id}`, { status: "approved" });
  return posted.comment.id;
}

const thread = (visitor: Reader) => visitor.page.locator("plaudit-comments [part=comment]");

/**
 * A reader posts under a published comment, then comes back to a page whose thread answers only
 * on `release()`: meanwhile their own comment shows from what their browser kept.
 */
async function revisitWhileThreadLoads(author: string, body: string) {
  const article = freshArticle();
  await seedApproved(article, "Earlier", "Published before the reader came.");
  const visitor = await reader();
  await openHostPage(visitor, baseUrl, embed(article));
  await expect.poll(() => thread(visitor).count()).toBe(1);
  await fillAndPost(visitor, { author, body });
  await expect.poll(() => thread(visitor).count()).toBe(2);
  const { release } = await answerLate(visitor.page, `${baseUrl}/api/v1/articles/${article}`);
  await visitor.page.reload();
  return { visitor, own: thread(visitor).filter({ hasText: author }), release };
}

describe("<plaudit-comments>", () => {
  it("posts a comment that awaits moderation, survives a reload, and appears once approved", async () => {
    const visitor = await reader();
    const article = freshArticle();
    await openHostPage(visitor, baseUrl, embed(article));
    const widget = visitor.page.locator("plaudit-comments");
    await expect.poll(() => widget.getByRole("heading", { level: 2 }).textContent()).toBe("0 comments");
    expect(await widget.getByText("No comments yet.").count()).toBe(1);

    await fillAndPost(visitor, { author: "Margaret", body: "A thoughtful first comment.\n\nWith a second paragraph." });
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Thanks! Your comment will appear once approved.");
    await expect.poll(() => thread(visitor).count()).toBe(1);
    expect(await thread(visitor).first().evaluate((el) => el.matches(":focus"))).toBe(true);
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
    // Polled: until the thread arrives, the widget shows its own stored copy, still pending.
    await expect.poll(() => mine.locator("[part=pending]").count()).toBe(0);
    await mine.getByRole("button", { name: "Edit" }).click();
    await mine.getByLabel("Comment").fill("BUY CHEAP PILLS");
    await mine.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => mine.locator("[part=pending]").textContent()).toBe("Awaiting moderation");
    expect(await mine.locator("[part=body]").textContent()).toBe("BUY CHEAP PILLS");
    expect(await visitor.page.locator("plaudit-comments [part=status]").textContent()).toBe("Thanks! Your comment will appear once approved.");

    const stranger = await reader();
    await openHostPage(stranger, baseUrl, embed(article));
    await expect.poll(() => thread(stranger).first().locator("[part=body]").textContent()).toBe("An innocent remark.");
    expectNoProblems(visitor);
    expectNoProblems(stranger);
  });

  it("while loading claims no count; a failure says so (not 'offline' while online) with a Try again that works", async () => {
    const visitor = await reader();
    let fail = () => {};
    const failing = new Promise<void>((resolve) => (fail = resolve));
    await visitor.page.route(`${baseUrl}/api/**`, async (route) => {
      await failing;
      await route.abort("connectionrefused");
    });
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-comments");
    const section = widget.locator("section");
    await expect.poll(() => widget.getByRole("heading", { level: 2 }).textContent()).toBe("Comments");
    expect(await section.getAttribute("aria-busy")).toBe("true");
    expect(await widget.getByText("No comments yet", { exact: false }).count()).toBe(0);

    fail();
    await expect.poll(() => widget.locator("p[part=error]").textContent()).toContain("Comments could not be loaded.");
    expect(await section.getAttribute("aria-busy")).toBe("false");
    expect(await widget.getByRole("heading", { level: 2 }).textContent()).toBe("Comments");
    expect(await widget.getByText("offline", { exact: false }).count()).toBe(0);
    expect(await widget.getByText("No comments yet", { exact: false }).count()).toBe(0);

    await visitor.page.unroute(`${baseUrl}/api/**`);
    await widget.getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => widget.getByRole("heading", { level: 2 }).textContent()).toBe("0 comments");
    expect(await widget.getByText("No comments yet.").count()).toBe(1);
    expect(await widget.getByRole("button", { name: "Try again" }).count()).toBe(0);
    // The button that had focus is gone: focus stays in the widget, on its heading.
    expect(await widget.getByRole("heading", { level: 2 }).evaluate((el) => el.matches(":focus"))).toBe(true);
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
    expect(await form.locator("#website-error").textContent()).toBe("Please enter an http:// or https:// address.");
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
    const host = thread(visitor).first();
    const focused = (locator: typeof host) => locator.evaluate((el) => el.matches(":focus"));
    await host.getByRole("button", { name: "Reply" }).click();
    expect(await visitor.page.locator("plaudit-comments [part=comment] h3").textContent()).toBe("Reply to Host");
    expect(await focused(host.getByLabel("Name"))).toBe(true);
    await host.getByRole("button", { name: "Cancel" }).click();
    expect(await focused(host.getByRole("button", { name: "Reply" }))).toBe(true);
    await host.getByRole("button", { name: "Reply" }).click();
    await fillAndPost(visitor, { author: "Guest", body: "A reply with a typo" });
    await expect.poll(() => thread(visitor).count()).toBe(2);
    // Nested in the markup: a list inside the parent's list item, and it says whom it answers.
    const reply = host.locator("ol [part=comment]");
    expect(await reply.count()).toBe(1);
    expect(await reply.locator("[part=meta]").textContent()).toContain("in reply to Host");
    // The reply form is gone: focus moved to the reply just posted, and the result is announced.
    await expect.poll(() => focused(reply)).toBe(true);
    expect(await visitor.page.locator("plaudit-comments [part=status]").textContent()).toBe("Thanks! Your comment will appear once approved.");

    await reply.getByRole("button", { name: "Edit" }).click();
    expect(await focused(reply.getByLabel("Comment"))).toBe(true);
    await reply.getByRole("button", { name: "Cancel" }).click();
    expect(await focused(reply.getByRole("button", { name: "Edit" }))).toBe(true);
    await reply.getByRole("button", { name: "Edit" }).click();
    await reply.getByLabel("Comment").fill("A reply without a typo");
    await reply.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => reply.locator("[part=body]").textContent()).toBe("A reply without a typo");
    expect(await focused(reply)).toBe(true);

    await reply.getByRole("button", { name: "Delete" }).click();
    await reply.getByRole("button", { name: "Really delete?" }).click();
    await expect.poll(() => thread(visitor).count()).toBe(1);
    expect(await visitor.page.locator("plaudit-comments [part=status]").textContent()).toBe("Your comment was deleted.");
    // Deleted with its buttons: focus lands on the comment it answered, not on <body>.
    expect(await focused(host)).toBe(true);
    expectNoProblems(visitor);
  });

  it("keeps every draft through opening, cancelling and switching replies, and through a reload, until posted", async () => {
    const article = freshArticle();
    await seedApproved(article, "Alice", "First thought.");
    await seedApproved(article, "Bob", "Second thought.");
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    const widget = visitor.page.locator("plaudit-comments");
    await expect.poll(() => thread(visitor).count()).toBe(2);
    const form = widget.locator("form");
    const body = form.getByLabel("Comment", { exact: true });

    await form.getByLabel("Name").fill("Drafter");
    await form.getByLabel("Email (optional, never published)").fill("drafter@example.com");
    await body.fill("The main comment, half written.");
    await thread(visitor).nth(0).getByRole("button", { name: "Reply" }).click();
    await body.fill("A reply to Alice, half written.");
    await thread(visitor).nth(1).getByRole("button", { name: "Reply" }).click();
    expect(await body.inputValue()).toBe("");
    await body.fill("A reply to Bob.");
    await thread(visitor).nth(0).getByRole("button", { name: "Reply" }).click();
    expect(await body.inputValue()).toBe("A reply to Alice, half written.");
    await form.getByRole("button", { name: "Cancel" }).click();
    expect(await body.inputValue()).toBe("The main comment, half written.");
    expect(await form.getByLabel("Name").inputValue()).toBe("Drafter");
    expect(await form.getByLabel("Email (optional, never published)").inputValue()).toBe("drafter@example.com");
    expect(await form.locator("[part=counter]").textContent()).toBe("31 of 5,000 characters");

    await visitor.page.reload();
    await expect.poll(() => body.inputValue()).toBe("The main comment, half written.");
    expect(await visitor.page.evaluate(() => JSON.stringify(localStorage))).not.toContain("@");
    await thread(visitor).nth(1).getByRole("button", { name: "Reply" }).click();
    expect(await body.inputValue()).toBe("A reply to Bob.");
    await form.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Thanks! Your comment will appear once approved.");
    // Posted: that draft is gone, the others stay.
    await thread(visitor).nth(1).getByRole("button", { name: "Reply" }).click();
    expect(await body.inputValue()).toBe("");
    await thread(visitor).nth(0).getByRole("button", { name: "Reply" }).click();
    expect(await body.inputValue()).toBe("A reply to Alice, half written.");
    expectNoProblems(visitor);
  });

  it("keeps what the reader types into an edit while the thread is still loading", async () => {
    const { visitor, own, release } = await revisitWhileThreadLoads("Typist", "Text to be edited");
    await own.getByRole("button", { name: "Edit" }).click();
    await own.getByLabel("Comment").fill("Half-way through a better sentence");
    release();
    await expect.poll(() => thread(visitor).count()).toBe(2);
    // The thread came in above it: the form was drawn again, with the reader's words.
    await expect.poll(() => thread(visitor).first().textContent()).toContain("Published before the reader came.");
    expect(await own.getByLabel("Comment").inputValue()).toBe("Half-way through a better sentence");
    expect(await own.locator("[part=counter]").textContent()).toBe("34 of 5,000 characters");
  });

  it("waits for a slow thread before posting or deleting, so its late answer cannot undo either", async () => {
    const { visitor, own, release } = await revisitWhileThreadLoads("Second thoughts", "Soon to be deleted");
    const post = visitor.page.locator("plaudit-comments").getByRole("button", { name: "Post comment" });
    await expect.poll(() => own.getByRole("button", { name: "Delete" }).isDisabled()).toBe(true);
    expect(await post.isDisabled()).toBe(true);

    release();
    await expect.poll(() => post.isDisabled()).toBe(false);
    await own.getByRole("button", { name: "Delete" }).click();
    await own.getByRole("button", { name: "Really delete?" }).click();
    await expect.poll(() => thread(visitor).allTextContents()).toEqual([expect.stringContaining("Published before the reader came.")]);
    expect(await visitor.page.locator("plaudit-comments h2").textContent()).toBe("1 comment");
  });

  it("says the comments could not be loaded, and leaves the form usable, when the answer is not the API's", async () => {
    const visitor = await reader();
    const article = freshArticle();
    // A proxy or host fallback answering the API's address with a page of its own.
    await visitor.page.route(`${baseUrl}/api/v1/articles/${article}`, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><p>Not here</p>" }));
    await openHostPage(visitor, baseUrl, embed(article));
    const post = visitor.page.locator("plaudit-comments").getByRole("button", { name: "Post comment" });
    await expect.poll(() => visitor.page.locator("plaudit-comments [part=base]").getAttribute("aria-busy")).toBe("false");
    expect(await post.isDisabled()).toBe(false);
    expect(await visitor.page.locator("plaudit-comments p[part=error]").textContent()).toBe("Comments could not be loaded.Try again");
    expect(await visitor.page.locator("plaudit-rating").getByRole("status").textContent()).toBe("Sorry, that did not work. Please try again.");
  });

  it("shows an edit's error on the edit form, not on the new-comment form", async () => {
    const article = freshArticle();
    await seedApproved(article, "Host", "Opening remarks.");
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    await expect.poll(() => thread(visitor).count()).toBe(1);
    await fillAndPost(visitor, { author: "Guest", body: "My own words." });
    await expect.poll(() => thread(visitor).count()).toBe(2);
    const mine = thread(visitor).nth(1);
    await mine.getByRole("button", { name: "Edit" }).click();
    // The same text as the Host's comment: the API answers 409 duplicate.
    const editBox = mine.getByLabel("Comment");
    await editBox.fill("Opening remarks.");
    await mine.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => mine.locator("#edit-error").textContent()).toBe("You already posted this here.");
    expect(await editBox.getAttribute("aria-describedby")).toContain("edit-error");
    expect(await editBox.evaluate((el) => el.matches(":focus"))).toBe(true);
    const newCommentForm = visitor.page.locator("plaudit-comments form[aria-labelledby~=leave]");
    expect(await newCommentForm.locator("[part=error]").allTextContents()).toEqual(["", "", "", ""]);
    expect(await visitor.page.locator("plaudit-comments [part=status]").textContent()).toBe("");

    // Too long in the edit form: counted, explained, never cut, never sent.
    await editBox.fill("y".repeat(5001));
    expect(await editBox.inputValue()).toHaveLength(5001);
    expect(await mine.locator("[part=counter]").textContent()).toBe("5,001 of 5,000 characters");
    expect(await mine.locator("#edit-error").textContent()).toBe("Please shorten this to 5,000 characters.");
    await mine.getByRole("button", { name: "Save" }).click();
    expect(await mine.locator("#edit-error").textContent()).toBe("Please shorten this to 5,000 characters.");
    expect(await mine.locator("[part=body]").count()).toBe(0);

    // A failed delete is announced under that comment, not in the new-comment form's status.
    await mine.getByRole("button", { name: "Cancel" }).click();
    await visitor.page.route(`${baseUrl}/api/**/comments/*`, (route) =>
      route.request().method() === "DELETE" ? route.fulfill({ status: 503, json: { error: { code: "storage_unavailable", message: "Try later." } } }) : route.continue(),
    );
    await mine.getByRole("button", { name: "Delete" }).click();
    await mine.getByRole("button", { name: "Really delete?" }).click();
    await expect.poll(() => mine.getByRole("alert").textContent()).toBe("Sorry, that did not work. Please try again.");
    expect(await visitor.page.locator("plaudit-comments [part=status]").textContent()).toBe("");
    expect(await thread(visitor).count()).toBe(2);
    // Chromium logs the 409 and 503 itself; nothing else may go wrong.
    expect(visitor.problems.filter((problem) => !/409|503/.test(problem))).toEqual([]);
  });

  it("never cuts text over the limit silently: it counts, explains and refuses to post", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const form = visitor.page.locator("plaudit-comments form");
    const body = form.getByLabel("Comment", { exact: true });
    let posted = 0;
    visitor.page.on("request", (request) => (posted += request.method() === "POST" ? 1 : 0));
    await form.getByLabel("Name").fill("N".repeat(81));
    await body.fill("z".repeat(5001));
    expect(await body.inputValue()).toHaveLength(5001);
    expect(await form.locator("[part=counter]").textContent()).toBe("5,001 of 5,000 characters");
    expect(await form.locator("#body-error").textContent()).toBe("Please shorten this to 5,000 characters.");
    expect(await body.getAttribute("aria-invalid")).toBe("true");
    await form.getByRole("button", { name: "Post comment" }).click();
    expect(await form.locator("#author-error").textContent()).toBe("Please shorten this to 80 characters.");
    expect(await form.getByLabel("Name").evaluate((el) => el.matches(":focus"))).toBe(true);
    expect(posted).toBe(0);
    await body.press("End");
    await body.press("Backspace");
    await expect.poll(() => form.locator("#body-error").textContent()).toBe("");
    expect(await body.getAttribute("aria-invalid")).toBe("false");
  });

  it("drops the reader's own 'Awaiting moderation' comment once it was marked spam or erased", async () => {
    const article = freshArticle();
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    await fillAndPost(visitor, { author: "Spammer", body: "Buy my thing, please." });
    await expect.poll(() => thread(visitor).count()).toBe(1);
    await fillAndPost(visitor, { author: "Spammer", body: "A second try." });
    await expect.poll(() => thread(visitor).count()).toBe(2);
    const { comments } = await adminApi("GET", `/comments?status=pending&article=${encodeURIComponent(article)}`);
    const [second, first] = comments;
    await adminApi("PATCH", `/comments/${encodeURIComponent(article)}/${first.id}`, { status: "spam" });
    await adminApi("DELETE", `/comments/${encodeURIComponent(article)}/${second.id}`);

    await visitor.page.reload();
    await expect.poll(() => visitor.page.locator("plaudit-comments h2").textContent()).toBe("0 comments");
    await expect.poll(() => thread(visitor).count()).toBe(0);
    const stored = await visitor.page.evaluate(() => localStorage.getItem("plaudit:comments") ?? "");
    expect(stored).not.toContain(first.id);
    expect(stored).not.toContain(second.id);
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
    await importComments(baseUrl, article, Array.from({ length: 53 }, (_, i) => `Comment ${i} on paging`));
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    await expect.poll(() => thread(visitor).count()).toBe(50);
    expect(await visitor.page.locator("plaudit-comments h2").textContent()).toBe("53 comments");
    await visitor.page.locator("plaudit-comments").getByRole("button", { name: "Load more comments" }).click();
    await expect.poll(() => thread(visitor).count()).toBe(53);
    expect(await visitor.page.locator("plaudit-comments").getByRole("button", { name: "Load more comments" }).count()).toBe(0);
  });

  it("gives two threads on one page distinct landmark names", async () => {
    const visitor = await reader();
    await openHostPage(
      visitor,
      baseUrl,
      `<script async src="${baseUrl}/embed.js"></script><plaudit-comments article="/part-1/"></plaudit-comments><plaudit-comments article="/part-2/" label="Part two"></plaudit-comments>`,
    );
    await expect.poll(() => visitor.page.getByRole("heading", { name: "0 comments" }).count()).toBe(2);
    expect(await visitor.page.getByRole("region", { name: "0 comments /part-1/", exact: true }).count()).toBe(1);
    expect(await visitor.page.getByRole("region", { name: "0 comments Part two", exact: true }).count()).toBe(1);
    expect(await visitor.page.getByRole("form", { name: "Leave a Comment /part-1/", exact: true }).count()).toBe(1);
    expect(await axeViolations(visitor.page)).toEqual([]);
  });

  it("passes the axe check with the form and a thread on the demo article", async () => {
    const visitor = await reader();
    await visitor.page.goto(`${baseUrl}/`);
    await expect.poll(() => visitor.page.locator("plaudit-comments h2").count()).toBe(1);
    expect(await axeViolations(visitor.page)).toEqual([]);
  });
});
