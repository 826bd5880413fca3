import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { answerLate, axeViolations, expectNoProblems, runCron, useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;

/** Post a comment as a reader would (pending under the default pre-moderation). */
async function submit(article: string, author: string, body: string) {
  counter += 1;
  const response = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.19.${counter}.9` },
    body: JSON.stringify({ author, body }),
  });
  expect(response.status).toBe(201);
}

async function signIn(moderator: Reader, token = TEST_SECRETS.ADMIN_TOKEN) {
  await moderator.page.goto(`${baseUrl}/admin`);
  await moderator.page.getByLabel("Admin token").fill(token);
  await moderator.page.getByRole("button", { name: "Sign in" }).click();
}

const queueItems = (moderator: Reader) => moderator.page.locator("plaudit-queue li.item");

/** A moderator approves the one comment of a fresh article; the approval reaches the server on `releaseApproval`. */
async function approveWhileHeld(articlePrefix: string, body: string) {
  const article = `${articlePrefix}-${Date.now()}`;
  await submit(article, "Held", body);
  const moderator = await reader();
  let releaseApproval = () => {};
  const approvalHeld = new Promise<void>((resolve) => (releaseApproval = resolve));
  await moderator.page.route(`${baseUrl}/api/v1/admin/comments/**`, async (route) => {
    if (route.request().method() === "PATCH") await approvalHeld;
    await route.continue();
  });
  await signIn(moderator);
  await moderator.page.getByLabel("Article", { exact: true }).fill(article);
  await moderator.page.getByRole("button", { name: "Filter" }).click();
  await expect.poll(() => queueItems(moderator).count()).toBe(1);
  await queueItems(moderator).getByRole("button", { name: "Approve" }).click();
  await expect.poll(() => queueItems(moderator).count()).toBe(0);
  return { moderator, article, releaseApproval };
}

describe("/admin", () => {
  it("is served with no-store and a strict CSP that forbids framing", async () => {
    const response = await fetch(`${baseUrl}/admin/`);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
  });

  it("says clearly when the token is wrong, then signs in with the right one", async () => {
    const moderator = await reader();
    await signIn(moderator, "not-the-token");
    await expect.poll(() => moderator.page.getByRole("alert").textContent()).toBe("That token is not right. Check ADMIN_TOKEN and try again.");
    expect(await moderator.page.evaluate(() => sessionStorage.length)).toBe(0);

    await signIn(moderator);
    await expect.poll(() => moderator.page.getByRole("tab", { name: /Pending/ }).count()).toBe(1);
    expect(await moderator.page.evaluate(() => document.cookie)).toBe("");
    await moderator.page.reload();
    await expect.poll(() => moderator.page.getByRole("tab", { name: /Pending/ }).count()).toBe(1);
  });

  it("approves a pending comment, which then appears on the demo article", async () => {
    const article = "/demo/the-bicycle-that-taught-me-patience/";
    await submit(article, "Approved Reader", "A comment the moderator approves from the page.");
    const moderator = await reader();
    await signIn(moderator);
    const item = queueItems(moderator).filter({ hasText: "A comment the moderator approves from the page." });
    await item.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => item.count()).toBe(0);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Approved: 1 comment.");

    const visitor = await reader();
    await visitor.page.goto(`${baseUrl}/`);
    await expect.poll(() => visitor.page.locator("plaudit-comments [part=author]").allTextContents()).toContain("Approved Reader");
  });

  it("bulk-marks two comments as spam and deletes one for good", async () => {
    const article = `admin-bulk-${Date.now()}`;
    for (const body of ["spam one", "spam two", "delete me"]) await submit(article, "Bulk", body);
    const moderator = await reader();
    moderator.page.on("dialog", (dialog) => void dialog.accept());
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(3);

    for (const body of ["spam one", "spam two"]) await queueItems(moderator).filter({ hasText: body }).getByRole("checkbox").check();
    expect(await moderator.page.locator("plaudit-queue").getByText("2 selected").count()).toBe(1);
    await moderator.page.getByRole("button", { name: "Spam selected" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);

    await queueItems(moderator).filter({ hasText: "delete me" }).getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(0);

    // The list changed at once; the server's answers follow (a change may wait its turn to write).
    const bodies = (status: string) =>
      fetch(`${baseUrl}/api/v1/admin/comments?status=${status}&article=${article}`, { headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` } })
        .then((response) => response.json())
        .then((page: { comments: { body: string }[] }) => page.comments.map((c) => c.body).sort());
    await expect.poll(() => bodies("spam")).toEqual(["spam one", "spam two"]);
    await expect.poll(() => bodies("pending")).toEqual([]);
    expectNoProblems(moderator);
  });

  it("keeps the filtered list when the unfiltered load it replaced answers last", async () => {
    const article = `admin-race-${Date.now()}`;
    await submit(article, "Race", "the only comment on this article");
    await submit(`${article}-other`, "Race", "a comment elsewhere on the site");
    const moderator = await reader();
    let releaseUnfiltered = () => {};
    const unfilteredHeld = new Promise<void>((resolve) => (releaseUnfiltered = resolve));
    await moderator.page.route(`${baseUrl}/api/v1/admin/comments?*`, async (route) => {
      if (!new URL(route.request().url()).searchParams.has("article")) await unfilteredHeld;
      await route.continue();
    });
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    const unfilteredAnswer = moderator.page.waitForResponse((response) => response.url().includes("/api/v1/admin/comments?") && !new URL(response.url()).searchParams.has("article"));
    releaseUnfiltered();
    await (await unfilteredAnswer).finished();
    // Two frames: the answer's JSON is parsed and any render it caused has happened.
    await moderator.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await queueItems(moderator).allTextContents()).toEqual([expect.stringContaining("the only comment on this article")]);
  });

  it("lists a comment in the Approved tab when the tab opens before its approval has answered", async () => {
    const { moderator, releaseApproval } = await approveWhileHeld("admin-saving", "approved while the server is slow");

    await moderator.page.getByRole("tab", { name: /Approved/ }).click();
    const approvalAnswer = moderator.page.waitForResponse((response) => response.request().method() === "PATCH");
    releaseApproval();
    await approvalAnswer;
    await expect.poll(() => queueItems(moderator).allTextContents()).toEqual([expect.stringContaining("approved while the server is slow")]);
  });

  it("moderates from the keyboard: j/k move, a approves, s marks spam", async () => {
    const article = `admin-keys-${Date.now()}`;
    for (const body of ["first in", "second in", "third in"]) await submit(article, "Keys", body);
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(3);
    const bodies = (await queueItems(moderator).allTextContents()).map((text) => text.match(/(first|second|third) in/)![0]);
    await queueItems(moderator).first().focus();
    await moderator.page.keyboard.press("j");
    await moderator.page.keyboard.press("k");
    await moderator.page.keyboard.press("j");
    // The second item is current: a approves it, and focus stays on the item that takes its place.
    await moderator.page.keyboard.press("a");
    await expect.poll(() => queueItems(moderator).count()).toBe(2);
    await moderator.page.keyboard.press("s");
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Marked as spam: 1 comment.");

    // The status tabs follow the tab-list keyboard pattern.
    await moderator.page.getByRole("tab", { name: /Pending/ }).focus();
    await moderator.page.keyboard.press("ArrowRight");
    await expect.poll(() => moderator.page.getByRole("tab", { name: /Approved/ }).getAttribute("aria-selected")).toBe("true");
    await expect.poll(() => moderator.page.getByRole("tab", { name: /Approved/ }).evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement?.id)).toBe("tab-approved");
    await expect.poll(() => queueItems(moderator).allTextContents()).toEqual([expect.stringContaining(bodies[1]!)]);
    const api = (status: string) =>
      fetch(`${baseUrl}/api/v1/admin/comments?status=${status}&article=${article}`, { headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` } }).then((r) => r.json());
    expect((await api("approved")).comments.map((c: { body: string }) => c.body)).toEqual([bodies[1]]);
    expect((await api("spam")).comments.map((c: { body: string }) => c.body)).toEqual([bodies[2]]);
    expect((await api("pending")).comments.map((c: { body: string }) => c.body)).toEqual([bodies[0]]);
  });

  it("says what the last action did when an earlier one answers after it", async () => {
    const article = `admin-last-word-${Date.now()}`;
    for (const body of ["approved but slow to answer", "marked as spam at once"]) await submit(article, "Last word", body);
    const moderator = await reader();
    let releaseApproval = () => {};
    const approvalHeld = new Promise<void>((resolve) => (releaseApproval = resolve));
    await moderator.page.route(`${baseUrl}/api/v1/admin/comments/**`, async (route) => {
      if (route.request().method() === "PATCH" && route.request().postData()?.includes("approved")) await approvalHeld;
      await route.continue();
    });
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(2);
    await queueItems(moderator).first().focus();
    await moderator.page.keyboard.press("a");
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    await moderator.page.keyboard.press("s");
    const status = moderator.page.locator("plaudit-queue [role=status]");
    await expect.poll(() => status.textContent()).toBe("Marked as spam: 1 comment.");
    const approvalAnswer = moderator.page.waitForResponse((response) => response.request().method() === "PATCH" && response.request().postData()?.includes("approved") === true);
    releaseApproval();
    await (await approvalAnswer).finished();
    await moderator.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await status.textContent()).toBe("Marked as spam: 1 comment.");
  });

  it("takes shortcuts as soon as the queue shows, but never while typing", async () => {
    const article = `admin-keys-anywhere-${Date.now()}`;
    for (const body of ["typed into", "after sign-in", "after reload", "after a click"]) await submit(article, "Anywhere", body);
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    // Typing a, s, d and j into a field moderates nothing.
    await moderator.page.getByLabel("Article", { exact: true }).press("a");
    await moderator.page.getByLabel("Article", { exact: true }).press("Backspace");
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(4);
    await moderator.page.evaluate(() => {
      const note = Object.assign(document.createElement("div"), { contentEditable: "true", id: "note" });
      document.body.append(note);
      note.focus();
    });
    await moderator.page.keyboard.type("sad");
    await moderator.page.keyboard.press("Control+a");
    await moderator.page.waitForTimeout(200);
    expect(await queueItems(moderator).count()).toBe(4);

    // A click on an empty area leaves focus on the page, not the queue: shortcuts still work.
    await moderator.page.locator("h1").click();
    await moderator.page.keyboard.press("a");
    await expect.poll(() => queueItems(moderator).count()).toBe(3);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Approved: 1 comment.");

    // After a reload the filter is gone; the queue shows and takes keys without a click.
    await moderator.page.reload();
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByLabel("Article", { exact: true }).press("Enter");
    await expect.poll(() => queueItems(moderator).count()).toBe(3);
    await moderator.page.locator("h1").click();
    await moderator.page.keyboard.press("s");
    await expect.poll(() => queueItems(moderator).count()).toBe(2);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Marked as spam: 1 comment.");
  });

  it("keeps a change the moderator made when they reload before it has saved", async () => {
    const { moderator, article, releaseApproval } = await approveWhileHeld("admin-reload", "approved just before a reload");

    await moderator.page.reload();
    releaseApproval();
    const approved = () =>
      fetch(`${baseUrl}/api/v1/admin/comments?status=approved&article=${article}`, { headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` } })
        .then((response) => response.json())
        .then((page: { comments: { body: string }[] }) => page.comments.map((comment) => comment.body));
    await expect.poll(approved).toEqual(["approved just before a reload"]);
  });

  /**
   * Sign in, then filter by `article` with its list read at once but answered only on `release`,
   * as a slow network would: the moderator can act on the whole queue meanwhile.
   */
  async function filterSlowly(article: string) {
    const moderator = await reader();
    const { read: listRead, release } = await answerLate(moderator.page, `${baseUrl}/api/v1/admin/comments?*`, (url) => url.searchParams.has("article"));
    await signIn(moderator);
    await expect.poll(() => queueItems(moderator).count()).toBeGreaterThan(1);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await listRead;
    return { moderator, release };
  }

  it("does not bring back a comment acted on while a slower list was on its way", async () => {
    const article = `admin-late-list-${Date.now()}`;
    for (const body of ["stays pending", "approved before the list arrives"]) await submit(article, "Late list", body);
    const { moderator, release } = await filterSlowly(article);
    await queueItems(moderator).filter({ hasText: "approved before the list arrives" }).getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Approved: 1 comment.");

    release();
    await expect.poll(() => queueItems(moderator).allTextContents()).toEqual([expect.stringContaining("stays pending")]);
    await moderator.page.waitForTimeout(200);
    expect(await queueItems(moderator).count()).toBe(1);
  });

  it("puts a comment whose change failed back beside a list that arrived meanwhile", async () => {
    const article = `admin-late-failure-${Date.now()}`;
    for (const body of ["listed all along", "refused by the server"]) await submit(article, "Late failure", body);
    const { moderator, release } = await filterSlowly(article);
    let refuse = () => {};
    const refusal = new Promise<void>((resolve) => (refuse = resolve));
    await moderator.page.route(`${baseUrl}/api/v1/admin/comments/**`, async (route) => {
      if (route.request().method() !== "PATCH") return route.continue();
      await refusal;
      await route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "storage_unavailable", message: "Try again in a moment." } }) });
    });
    await queueItems(moderator).filter({ hasText: "refused by the server" }).getByRole("button", { name: "Approve" }).click();
    release();
    await expect.poll(() => queueItems(moderator).allTextContents()).toEqual([expect.stringContaining("listed all along")]);

    refuse();
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toContain("could not be changed");
    const listed = await queueItems(moderator).allTextContents();
    expect(listed).toHaveLength(2);
    expect(listed.join("\n")).toContain("listed all along");
    expect(listed.join("\n")).toContain("refused by the server");
  });

  it("takes shortcuts right after sign-in, with focus on the tabs", async () => {
    for (const body of ["one of two", "two of two"]) await submit(`admin-keys-signin-${Date.now()}`, "Signed In", body);
    const moderator = await reader();
    await signIn(moderator);
    await expect.poll(() => queueItems(moderator).count()).toBeGreaterThan(0);
    await moderator.page.keyboard.press("j");
    await expect.poll(() => queueItems(moderator).nth(1).evaluate((el) => el.classList.contains("current"))).toBe(true);
  });

  it("shows an author's edit of a published comment plainly, and approves or discards it", async () => {
    const article = `admin-revision-${Date.now()}`;
    const api = (path: string, method: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl}/api/v1${path}`, { method, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
    const asAdmin = { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` };
    for (const [n, word] of [[1, "approve"], [2, "discard"]] as const) {
      counter += 1;
      const posted = await api(`/articles/${article}/comments`, "POST", { author: `Editor ${n}`, body: `Published text ${n}.` }, { "CF-Connecting-IP": `198.19.${counter}.10` });
      const { comment, editToken } = await posted.json();
      expect((await api(`/admin/comments/${article}/${comment.id}`, "PATCH", { status: "approved" }, asAdmin)).status).toBe(200);
      const edited = await api(`/articles/${article}/comments/${comment.id}`, "PATCH", { editToken, body: `Sneaky edit to ${word}.` });
      expect((await edited.json()).comment.status).toBe("pending");
    }
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(2);

    const first = queueItems(moderator).filter({ hasText: "Editor 1" });
    expect(await first.locator("dt").allTextContents()).toEqual(["Published text", expect.stringMatching(/^Edit awaiting review, /)]);
    expect(await first.locator("dd").allTextContents()).toEqual(["Published text 1.", "Sneaky edit to approve."]);
    await first.getByRole("button", { name: "Approve edit" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Edit approved and published.");

    await queueItems(moderator).filter({ hasText: "Editor 2" }).getByRole("button", { name: "Discard edit" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(0);

    const thread = await (await fetch(`${baseUrl}/api/v1/articles/${article}`)).json();
    expect(thread.comments.items.map((c: { body: string }) => c.body)).toEqual(["Sneaky edit to approve.", "Published text 2."]);
    expect(await axeViolations(moderator.page)).toEqual([]);
    expectNoProblems(moderator);
  });

  it("rolls an optimistic update back with a message when the server refuses", async () => {
    const article = `admin-rollback-${Date.now()}`;
    await submit(article, "Rollback", "stays put");
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    await moderator.page.route("**/api/v1/admin/comments/**", (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "storage_unavailable", message: "Storage is temporarily unavailable." } }) }));
    await queueItems(moderator).first().getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toContain("back in the list");
    expect(await queueItems(moderator).count()).toBe(1);
  });

  it("speaks plainly, keeps each tab's message to itself, hides Approve/Spam while editing", async () => {
    const article = `admin-tidy-${Date.now()}`;
    await submit(article, "Tidy", "a comment to look at");
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    const status = moderator.page.locator("plaudit-queue [role=status]");

    await moderator.page.route("**/api/v1/admin/comments/**", (route) =>
      route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ error: { code: "invalid_body", message: "Send a `status`, a `body` or a `revision`." } }) }),
    );
    await queueItems(moderator).first().getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => status.textContent()).toContain("Send a status, a body or a revision.");
    await moderator.page.unrouteAll();

    await moderator.page.getByRole("tab", { name: /Approved/ }).click();
    await expect.poll(() => status.textContent()).toBe("");
    await moderator.page.getByRole("tab", { name: /Pending/ }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);

    const item = queueItems(moderator).first();
    await item.getByRole("button", { name: "Edit" }).click();
    expect(await item.getByRole("button", { name: /^(Approve|Spam)$/ }).count()).toBe(0);
    await item.getByRole("button", { name: "Cancel" }).click();
    expect(await item.getByRole("button", { name: /^(Approve|Spam)$/ }).count()).toBe(2);

    // A moderator's edit is labelled as theirs, not passed off as the author's.
    await item.getByRole("button", { name: "Edit" }).click();
    await item.getByLabel("Comment text").fill("a comment a moderator trimmed");
    await item.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => item.locator(".meta").textContent()).toContain("edited by a moderator");
  });

  it("gives phones 24 px checkboxes and passes axe in dark mode", async () => {
    await submit(`admin-dark-${Date.now()}`, "Dark", "read in the dark");
    const moderator = await reader();
    await moderator.page.setViewportSize({ width: 375, height: 740 });
    await moderator.page.emulateMedia({ colorScheme: "dark" });
    await signIn(moderator);
    await expect.poll(() => queueItems(moderator).count()).toBeGreaterThan(0);
    for (const box of await moderator.page.locator("plaudit-queue input[type=checkbox]").all()) {
      const size = (await box.boundingBox())!;
      expect(Math.min(size.width, size.height)).toBeGreaterThanOrEqual(24);
    }
    expect(await axeViolations(moderator.page)).toEqual([]);
    await moderator.page.getByRole("button", { name: "Ratings" }).click();
    const ratings = moderator.page.locator("plaudit-ratings-view");
    await expect.poll(async () => (await ratings.getByText("Rated articles").count()) === 1 && (await ratings.getByText("Loading…").count()) === 0).toBe(true);
    expect(await axeViolations(moderator.page)).toEqual([]);
  });

  it("undoes the last action for a few seconds, and moves an approved comment back to pending", async () => {
    const article = `admin-undo-${Date.now()}`;
    await submit(article, "Undo", "approved by mistake");
    const statusOf = async () =>
      (await (await fetch(`${baseUrl}/api/v1/admin/comments?status=pending&article=${article}`, { headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` } })).json()).comments.length ? "pending" : "not pending";
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    const undo = moderator.page.locator("plaudit-queue").getByRole("button", { name: "Undo", exact: true });

    await queueItems(moderator).first().getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Approved: 1 comment.");
    expect(await statusOf()).toBe("not pending");
    await undo.click();
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Undone: 1 comment is back as before.");
    expect(await statusOf()).toBe("pending");
    expect(await undo.count()).toBe(0);

    // No Pending action where comments are pending already; in the approved tab there is one.
    expect(await queueItems(moderator).first().getByRole("button", { name: "Pending" }).count()).toBe(0);
    await queueItems(moderator).first().getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => undo.count()).toBe(1);
    await moderator.page.getByRole("tab", { name: /Approved/ }).click();
    expect(await undo.count()).toBe(0);
    await expect.poll(() => queueItems(moderator).count()).toBe(1);
    await queueItems(moderator).first().getByRole("button", { name: "Pending" }).click();
    await expect.poll(() => queueItems(moderator).count()).toBe(0);
    await expect.poll(() => moderator.page.locator("plaudit-queue [role=status]").textContent()).toBe("Moved to pending: 1 comment.");
    expect(await statusOf()).toBe("pending");
  });

  it("shows an article's rating and resets it after confirmation", async () => {
    const article = `admin-rating-${Date.now()}`;
    for (const [i, rating] of [5, 3].entries()) {
      await fetch(`${baseUrl}/api/v1/articles/${article}/vote`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.19.200.${i}` },
        body: JSON.stringify({ voter: `admin-rating-voter-${i}-xxxxxx`, rating }),
      });
    }
    // The second vote came within a turn of the first: its aggregate is written a moment after its answer.
    const publicCount = async () => ((await (await fetch(`${baseUrl}/api/v1/articles/${article}`)).json()) as { rating: { count: number } }).rating.count;
    await expect.poll(publicCount).toBe(2);
    await runCron(baseUrl);
    const moderator = await reader();
    moderator.page.on("dialog", (dialog) => void dialog.accept());
    await signIn(moderator);
    await moderator.page.getByRole("button", { name: "Ratings" }).click();
    // Listed without typing its id, among the most recent (the same cron may have written others at the same moment).
    await moderator.page.getByRole("button", { name: "Most recent" }).click();
    const row = moderator.page.locator("plaudit-ratings-view table.rated tbody tr").filter({ hasText: article });
    await expect.poll(() => row.locator("td").allTextContents()).toEqual([article, "2", "4", expect.any(String)]);
    await row.getByRole("button", { name: article }).click();
    await expect.poll(() => moderator.page.getByText("2 votes, average 4 of 5").count()).toBe(1);
    expect(await moderator.page.getByRole("meter", { name: "5 stars" }).getAttribute("value")).toBe("1");
    await moderator.page.getByRole("button", { name: "Reset rating" }).click();
    await expect.poll(() => moderator.page.getByText("0 votes, average 0 of 5").count()).toBe(1);
    await expect.poll(() => row.locator("td").nth(1).textContent()).toBe("0");

    // An exact id can still be looked up.
    await moderator.page.getByLabel("Article", { exact: true }).fill(article);
    await moderator.page.getByRole("button", { name: "Look up" }).click();
    await expect.poll(() => moderator.page.getByRole("heading", { name: article }).count()).toBe(1);
  });

  it("shows the sort and the article asked for last when an earlier request answers after them", async () => {
    const [first, second] = [`admin-lookup-first-${Date.now()}`, `admin-lookup-second-${Date.now()}`];
    for (const [i, article] of [first, second].entries()) {
      const voted = await fetch(`${baseUrl}/api/v1/articles/${article}/vote`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.19.201.${i}` },
        body: JSON.stringify({ voter: `admin-lookup-voter-${i}-xxxxxx`, rating: 4 }),
      });
      expect(voted.ok).toBe(true);
    }
    const moderator = await reader();
    const held: { url: string; release: () => void }[] = [];
    const hold = (pattern: string) =>
      moderator.page.route(pattern, async (route) => {
        const response = await route.fetch();
        await new Promise<void>((release) => held.push({ url: route.request().url(), release }));
        await route.fulfill({ response });
      });
    await hold(`${baseUrl}/api/v1/admin/ratings?sort=votes*`);
    await hold(`${baseUrl}/api/v1/articles/${first}`);
    await signIn(moderator);
    await moderator.page.getByRole("button", { name: "Ratings" }).click();
    await expect.poll(() => held.length).toBe(1);
    await moderator.page.getByRole("button", { name: "Most recent" }).click();
    const rows = moderator.page.locator("plaudit-ratings-view table.rated tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const recent = await rows.allTextContents();

    await moderator.page.getByLabel("Article", { exact: true }).fill(first);
    await moderator.page.getByRole("button", { name: "Look up" }).click();
    await expect.poll(() => held.length).toBe(2);
    await moderator.page.getByLabel("Article", { exact: true }).fill(second);
    await moderator.page.getByRole("button", { name: "Look up" }).click();
    await expect.poll(() => moderator.page.getByRole("heading", { name: second }).count()).toBe(1);

    const answered = held.map(({ url }) => moderator.page.waitForResponse(url));
    for (const { release } of held) release();
    await Promise.all(answered);
    await moderator.page.evaluate(() => new Promise((done) => setTimeout(done, 200)));
    expect(await moderator.page.getByRole("heading", { name: first }).count()).toBe(0);
    expect(await moderator.page.getByRole("heading", { name: second }).count()).toBe(1);
    expect(await rows.allTextContents()).toEqual(recent);
  });

  it("adds a page of feedback once when Load more is clicked twice", async () => {
    const moderator = await reader();
    const entry = (n: number) => ({ id: `f${n}`, article: "/post/", rating: 1, body: `Feedback number ${n}`, createdAt: "2026-11-27T10:00:00.000Z" });
    // The list itself is stood in for: what is tested is the page's handling of a slow second page.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await moderator.page.route(`${baseUrl}/api/v1/admin/feedback*`, async (route) => {
      const more = new URL(route.request().url()).searchParams.has("cursor");
      if (more) await held;
      await route.fulfill({ json: more ? { feedback: [entry(2)], cursor: null } : { feedback: [entry(1)], cursor: "next" } });
    });
    await signIn(moderator);
    await moderator.page.getByRole("button", { name: "Feedback" }).click();
    const items = moderator.page.locator("plaudit-feedback-view li.item");
    await expect.poll(() => items.count()).toBe(1);
    const more = moderator.page.getByRole("button", { name: "Load more" });
    await more.click();
    await more.click();
    release();
    await expect.poll(() => more.count()).toBe(0);
    await moderator.page.evaluate(() => new Promise((done) => setTimeout(done, 500)));
    expect(await items.locator(".body").allTextContents()).toEqual(["Feedback number 1", "Feedback number 2"]);
  });

  it("signs out when the token stops being accepted while the ratings are open", async () => {
    const moderator = await reader();
    await signIn(moderator);
    await moderator.page.getByRole("button", { name: "Ratings" }).click();
    await expect.poll(() => moderator.page.getByRole("heading", { name: "Rated articles" }).count()).toBe(1);
    // The owner rotates ADMIN_TOKEN: from now on the server answers this tab's requests with its 401.
    let refused = 0;
    await moderator.page.route(`${baseUrl}/api/v1/admin/**`, async (route) => {
      const response = await route.fetch({ headers: { ...route.request().headers(), authorization: "Bearer a-revoked-token" } });
      if (response.status() === 401) refused += 1;
      await route.fulfill({ response });
    });
    await moderator.page.getByRole("button", { name: "Most recent" }).click();
    await expect.poll(() => moderator.page.getByRole("alert").textContent()).toBe("Your token was not accepted any more. Please sign in again.");
    expect(refused).toBeGreaterThan(0);
    expect(await moderator.page.getByLabel("Admin token").count()).toBe(1);
    expect(await moderator.page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("downloads the NDJSON export", async () => {
    const moderator = await reader();
    await signIn(moderator);
    const download = moderator.page.waitForEvent("download");
    await moderator.page.getByRole("button", { name: "Export all data" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^plaudit-export-\d{4}-\d\d-\d\d\.ndjson$/);
  });

  it("passes the axe check signed out and signed in, also on a phone-sized screen", async () => {
    const moderator = await reader();
    await moderator.page.setViewportSize({ width: 375, height: 740 });
    await moderator.page.goto(`${baseUrl}/admin`);
    expect(await axeViolations(moderator.page)).toEqual([]);
    await submit(`admin-axe-${Date.now()}`, "Axe", "checked for accessibility");
    await signIn(moderator);
    await expect.poll(() => queueItems(moderator).count()).toBeGreaterThan(0);
    expect(await axeViolations(moderator.page)).toEqual([]);
    const overflow = await moderator.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
