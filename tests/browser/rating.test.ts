import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../secrets";
import { answerLate, axeViolations, expectNoProblems, openHostPage, runCron, useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let articleCounter = 0;
const freshArticle = () => `browser-test-${Date.now()}-${++articleCounter}`;

/** What a CSS system colour (forced colours' palette) resolves to on the reader's page. */
function systemColor(visitor: Reader, name: string): Promise<string> {
  return visitor.page.evaluate((color) => {
    const probe = document.body.appendChild(document.createElement("span"));
    probe.style.color = color;
    const resolved = getComputedStyle(probe).color;
    probe.remove();
    return resolved;
  }, name);
}

function embed(article: string, extra = "") {
  return `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}" ${extra}></script>`;
}

describe("the demo article", () => {
  it("renders stars and legend; a click votes; a reload remembers the reader's rating", async () => {
    const visitor = await reader();
    const { page } = visitor;
    await page.goto(`${baseUrl}/`);
    const widget = page.locator("plaudit-rating");
    await expect.poll(() => widget.getByRole("radio").count()).toBe(5);
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");
    expect(await widget.locator("[part=prompt]").textContent()).toBe("Click to rate this entry!");

    await widget.getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");
    expect(await widget.getByRole("status").textContent()).toBe("Thanks for rating!");
    expect(await widget.locator("[part=yours]").textContent()).toBe("You rated this 4/5");

    await page.reload();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");
    expect(await widget.locator("[part=yours]").textContent()).toBe("You rated this 4/5");
    expect(await widget.getByRole("radio", { name: "4 stars" }).getAttribute("aria-checked")).toBe("true");
    expectNoProblems(visitor);
  });

  it("costs exactly one API request per page view", async () => {
    const visitor = await reader();
    const apiCalls: string[] = [];
    visitor.page.on("request", (request) => {
      if (request.url().includes("/api/")) apiCalls.push(`${request.method()} ${request.url()}`);
    });
    await visitor.page.goto(`${baseUrl}/`);
    await expect.poll(() => visitor.page.locator("plaudit-rating [part=legend]").textContent()).toMatch(/Votes/);
    await visitor.page.waitForLoadState("networkidle");
    expect(apiCalls).toEqual([`GET ${baseUrl}/api/v1/articles/%2Fdemo%2Fthe-bicycle-that-taught-me-patience%2F`]);
  });

  it("passes the axe accessibility check, before and after voting, with details open", async () => {
    const visitor = await reader();
    await visitor.page.goto(`${baseUrl}/`);
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toMatch(/Votes/);
    expect(await axeViolations(visitor.page)).toEqual([]);

    await widget.getByRole("radio", { name: "5 stars" }).click();
    await widget.getByRole("button", { name: "Rating details" }).click();
    await expect.poll(() => widget.getByRole("rowheader").count()).toBe(5);
    expect(await axeViolations(visitor.page)).toEqual([]);
  });

  it("exposes the average as text for assistive technology", async () => {
    const visitor = await reader();
    await visitor.page.goto(`${baseUrl}/`);
    const group = visitor.page.locator("plaudit-rating").getByRole("radiogroup", { name: "Click to rate this entry!" });
    await expect.poll(() => group.getAttribute("aria-describedby")).toBe("summary");
    await expect.poll(() => visitor.page.locator("plaudit-rating #summary").textContent()).toMatch(/^Rated [\d.]+ out of 5 by \d+ readers?$/);
  });
});

describe("embedded on another site", () => {
  it("votes with the keyboard alone: Tab, arrows, Enter", async () => {
    const visitor = await reader();
    const article = freshArticle();
    await openHostPage(visitor, baseUrl, `<a href="#top">Skip</a>${embed(article)}`);
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");

    await visitor.page.keyboard.press("Tab");
    await visitor.page.keyboard.press("Tab");
    expect(await widget.getByRole("radio", { name: "1 star", exact: true }).evaluate((el) => el.matches(":focus"))).toBe(true);
    await visitor.page.keyboard.press("ArrowRight");
    await visitor.page.keyboard.press("ArrowRight");
    // Focus previews the rating before anything is sent.
    expect(await widget.getByRole("radio", { name: "3 stars" }).evaluate((el) => el.matches(":focus-visible"))).toBe(true);
    expect(await widget.locator("[part=star-shape]").nth(2).evaluate((el) => getComputedStyle(el).getPropertyValue("--fill"))).toBe("100%");
    await visitor.page.keyboard.press("End");
    await visitor.page.keyboard.press("ArrowLeft");
    await visitor.page.keyboard.press("Enter");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");

    // The checked star is now the one Tab lands on; Space votes too.
    await visitor.page.keyboard.press("Home");
    await visitor.page.keyboard.press(" ");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 1)");
    expectNoProblems(visitor);
  });

  it("changes and removes a vote", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    const legend = () => widget.locator("[part=legend]").textContent();
    await widget.getByRole("radio", { name: "5 stars" }).click();
    await expect.poll(legend).toBe("(Votes: 1 Average: 5)");
    await widget.getByRole("radio", { name: "2 stars" }).click();
    await expect.poll(legend).toBe("(Votes: 1 Average: 2)");

    await widget.getByRole("button", { name: "Remove my rating" }).click();
    await expect.poll(legend).toBe("(Votes: 0 Average: 0)");
    expect(await widget.getByRole("status").textContent()).toBe("Your rating was removed.");
    expect(await widget.locator("[part=yours]").count()).toBe(0);
    // The Remove button is gone; focus stays on the stars' tab stop instead of falling to <body>.
    expect(await widget.getByRole("radio", { name: "1 star", exact: true }).evaluate((el) => el.matches(":focus"))).toBe(true);
    expect(await widget.getByRole("radio", { name: "1 star", exact: true }).getAttribute("tabindex")).toBe("0");
    expectNoProblems(visitor);
  });

  it("tells the reader politely when the server says 429, and stays usable", async () => {
    const article = freshArticle();
    const sharedIp = "198.51.100.200";
    const neighbourVotes = (where: string) =>
      fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(where)}/vote`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": sharedIp },
        body: JSON.stringify({ voter: `neighbour_${crypto.randomUUID().replaceAll("-", "")}`, rating: 3 }),
      });
    expect((await neighbourVotes(article)).status).toBe(200);
    const visitor = await reader({ ip: sharedIp });
    await openHostPage(visitor, baseUrl, embed(article));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 3)");
    // Neighbours behind the same address use up its write allowance (5 votes a minute) moments
    // before the reader votes, so the limiter's minute has no time to turn between them.
    let refused = false;
    for (let i = 0; i < 8 && !refused; i += 1) refused = (await neighbourVotes(freshArticle())).status === 429;
    expect(refused).toBe(true);
    await widget.getByRole("radio", { name: "5 stars" }).click();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Lots of activity right now. Please try again in a minute.");
    expect(await widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 3)");
    expect(await widget.getByRole("radio", { name: "5 stars" }).isEnabled()).toBe(true);
    // A failed request is not a page error: the host page's console stays clean of our errors.
    expect(visitor.problems.filter((problem) => !problem.includes("429"))).toEqual([]);
  });

  it("says the API failed when it cannot be reached (not 'offline' while online), clears aria-busy, then recovers", async () => {
    const visitor = await reader();
    await visitor.page.route(`${baseUrl}/api/**`, (route) => route.abort("connectionrefused"));
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Sorry, that did not work. Please try again.");
    expect(await widget.locator("[part=base]").getAttribute("aria-busy")).toBe("false");
    expect(await widget.getByRole("radio").count()).toBe(5);

    await visitor.page.unroute(`${baseUrl}/api/**`);
    await widget.getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");
  });

  it("says it is offline only when the browser is", async () => {
    const visitor = await reader();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.page.route(`${baseUrl}/api/**`, async (route) => {
      await held;
      await route.abort("internetdisconnected");
    });
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.getByRole("radio").count()).toBe(5);
    await visitor.context.setOffline(true);
    release();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("You seem to be offline. Please try again.");
  });

  it("shows a vote in flight: busy stars and a Saving status until the API answers", async () => {
    const visitor = await reader();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.page.route(`${baseUrl}/api/**/vote`, async (route) => {
      await held;
      await route.continue();
    });
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    const base = widget.locator("[part=base]");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");
    expect(await base.getAttribute("aria-busy")).toBe("false");
    await widget.getByRole("radio", { name: "3 stars" }).click();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Saving…");
    expect(await base.getAttribute("aria-busy")).toBe("true");
    release();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Thanks for rating!");
    expect(await base.getAttribute("aria-busy")).toBe("false");
  });

  it("counts a vote whose reader leaves the page before it has saved", async () => {
    const visitor = await reader();
    const article = freshArticle();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.page.route(`${baseUrl}/api/**/vote`, async (route) => {
      if (route.request().method() === "PUT") await held;
      await route.continue();
    });
    await openHostPage(visitor, baseUrl, embed(article));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");
    await widget.getByRole("radio", { name: "2 stars" }).click();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Saving…");

    await visitor.page.goto("about:blank");
    release();
    const votes = () => fetch(`${baseUrl}/api/v1/articles/${article}`, { cache: "no-store" }).then(async (response) => (await response.json()).rating.count);
    await expect.poll(votes).toBe(1);
  });

  it("keeps the count of a vote that answers before the page's slow first load", async () => {
    const visitor = await reader();
    const article = freshArticle();
    // Read before the vote, answered after it: the load's count is the older one.
    const { read: loadRead, release } = await answerLate(visitor.page, `${baseUrl}/api/v1/articles/${article}`);
    await openHostPage(visitor, baseUrl, embed(article));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.getByRole("radio").count()).toBe(5);
    await loadRead;
    await widget.getByRole("radio", { name: "5 stars" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 5)");
    await visitor.page.evaluate(() => document.addEventListener("plaudit-load", (event) => Object.assign(window, { loadedCount: (event as CustomEvent<{ rating: { count: number } }>).detail.rating.count })));

    release();
    await expect.poll(() => visitor.page.evaluate(() => (window as { loadedCount?: number }).loadedCount)).toBe(1);
    expect(await widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 5)");
    expect(await widget.locator("[part=yours]").textContent()).toBe("You rated this 5/5");
  });

  it("shows the article it now points at when a vote on the one before answers late", async () => {
    const visitor = await reader();
    const [before, after] = [freshArticle(), freshArticle()];
    const seeded = await fetch(`${baseUrl}/api/v1/articles/${after}/vote`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.77" },
      body: JSON.stringify({ voter: `switch-${crypto.randomUUID().replaceAll("-", "")}`, rating: 2 }),
    });
    expect(seeded.ok).toBe(true);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.page.route(`${baseUrl}/api/**/vote`, async (route) => {
      await held;
      await route.continue();
    });
    await openHostPage(visitor, baseUrl, embed(before));
    const widget = visitor.page.locator("plaudit-rating");
    const legend = widget.locator("[part=legend]");
    await expect.poll(() => legend.textContent()).toBe("(Votes: 0 Average: 0)");
    await widget.getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Saving…");
    await widget.evaluate((element, article) => element.setAttribute("article", article), after);
    await expect.poll(() => legend.textContent()).toBe("(Votes: 1 Average: 2)");

    release();
    await expect.poll(() => widget.locator("[part=base]").getAttribute("aria-busy")).toBe("false");
    expect(await legend.textContent()).toBe("(Votes: 1 Average: 2)");
    expect(await widget.getByRole("status").textContent()).toBe("");
    const votes = async (article: string) => (await (await fetch(`${baseUrl}/api/v1/articles/${article}`, { cache: "no-store" })).json()).rating.count;
    await expect.poll(() => votes(before)).toBe(1);
  });

  it("reserves its final size while loading", async () => {
    const visitor = await reader();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.page.route(`${baseUrl}/api/**`, async (route) => {
      await held;
      await route.continue();
    });
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.getByRole("radio").count()).toBe(5);
    const loading = await widget.boundingBox();
    release();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");
    expect((await widget.boundingBox())?.height).toBe(loading?.height);
  });

  it("fires a plaudit-vote event the site can listen to", async () => {
    const visitor = await reader();
    const article = freshArticle();
    await openHostPage(
      visitor,
      baseUrl,
      `<script>document.addEventListener("plaudit-vote", (e) => { window.votes = [...(window.votes || []), e.detail]; });</script>${embed(article)}`,
    );
    const widget = visitor.page.locator("plaudit-rating");
    await widget.getByRole("radio", { name: "2 stars" }).click();
    await expect.poll(() => visitor.page.evaluate(() => (window as any).votes?.length ?? 0)).toBe(1);
    await widget.getByRole("button", { name: "Remove my rating" }).click();
    await expect.poll(() => visitor.page.evaluate(() => (window as any).votes.at(-1))).toEqual({ article, rating: null });
    expect(await visitor.page.evaluate(() => (window as any).votes[0])).toEqual({ article, rating: 2 });
  });

  it("counts a post as one article by its decoded path, whichever Unicode form the URL uses", async () => {
    const slug = `café-${Date.now()}`;
    const rating = `<script async src="${baseUrl}/rating.js" data-mount></script>`;
    // The same address typed on a Mac (decomposed é) and on Windows (one code point).
    const mac = await reader();
    await openHostPage(mac, baseUrl, rating, { path: `/host/${encodeURI(slug.normalize("NFD"))}/` });
    await mac.page.locator("plaudit-rating").getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => mac.page.locator("plaudit-rating [part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");

    const windows = await reader();
    const requests: string[] = [];
    windows.page.on("request", (request) => request.url().includes("/api/") && requests.push(request.url()));
    await openHostPage(windows, baseUrl, rating, { path: `/host/${encodeURI(slug.normalize("NFC"))}/` });
    await expect.poll(() => windows.page.locator("plaudit-rating [part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");
    expect(requests).toEqual([`${baseUrl}/api/v1/articles/${encodeURIComponent(`/host/${slug}/`)}`]);
    expectNoProblems(mac);
    expectNoProblems(windows);
  });

  it("survives embed.js loading twice, next to a hand-placed element", async () => {
    const visitor = await reader();
    const article = freshArticle();
    await openHostPage(
      visitor,
      baseUrl,
      `${embed(article)}<plaudit-rating article="${article}"></plaudit-rating><script src="${baseUrl}/embed.js"></script>`,
    );
    await expect.poll(() => visitor.page.locator("plaudit-rating [part=legend]").allTextContents()).toEqual([
      "(Votes: 0 Average: 0)",
      "(Votes: 0 Average: 0)",
    ]);
    expectNoProblems(visitor);
  });
});

describe("the rating details", () => {
  it("come with details.js, fetched only when a reader opens them: a table of bars the host can theme", async () => {
    const visitor = await reader();
    const requested: string[] = [];
    visitor.page.on("request", (request) => requested.push(request.url()));
    await openHostPage(visitor, baseUrl, embed(freshArticle()), {
      head: "<style>plaudit-rating::part(bar) { height: 12px; } plaudit-rating::part(details) { margin-top: 7px; }</style>",
    });
    const widget = visitor.page.locator("plaudit-rating");
    await widget.getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");
    expect(requested.some((url) => url.endsWith("/details.js"))).toBe(false);

    await widget.getByRole("button", { name: "Rating details" }).click();
    const table = widget.getByRole("table", { name: "Rating details" });
    await expect.poll(() => table.getByRole("rowheader").allTextContents()).toEqual(["5 stars", "4 stars", "3 stars", "2 stars", "1 star"]);
    expect(await table.getByRole("cell").allTextContents()).toEqual(["", "0", "", "1", "", "0", "", "0", "", "0"]);
    const bars = widget.locator("[part=bar]");
    expect(await bars.evaluateAll((all) => all.map((bar) => getComputedStyle(bar).getPropertyValue("--fill")))).toEqual(["0%", "100%", "0%", "0%", "0%"]);
    expect(await bars.nth(1).evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/to right, rgb\(232, 163, 23\) 100%/);
    expect(await bars.nth(1).evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(50);
    expect(await bars.nth(1).evaluate((el) => el.getBoundingClientRect().height)).toBe(12);
    expect(await widget.locator("[part=details]").evaluate((el) => getComputedStyle(el).marginTop)).toBe("7px");

    // A vote while the details are open updates them; closing and reopening shows them again.
    await widget.getByRole("radio", { name: "2 stars" }).click();
    await expect.poll(() => table.getByRole("cell").allTextContents()).toEqual(["", "0", "", "0", "", "0", "", "1", "", "0"]);
    await widget.getByRole("button", { name: "Rating details" }).click();
    expect(await widget.locator("[part=details]").count()).toBe(0);
    await widget.getByRole("button", { name: "Rating details" }).click();
    await expect.poll(() => bars.nth(3).evaluate((el) => getComputedStyle(el).getPropertyValue("--fill"))).toBe("100%");
    expect(requested.filter((url) => url.endsWith("/details.js"))).toHaveLength(1);
    expectNoProblems(visitor);
  });

  it("fill their bars from the right on right-to-left pages, and with system colours in forced-colors mode", async () => {
    const visitor = await reader({ forcedColors: "active" });
    await openHostPage(visitor, baseUrl, `<div dir="rtl">${embed(freshArticle())}</div>`);
    const widget = visitor.page.locator("plaudit-rating");
    await widget.getByRole("radio", { name: "5 stars" }).click();
    await widget.getByRole("button", { name: "Rating details" }).click();
    const bar = widget.locator("[part=bar]").first();
    await expect.poll(() => bar.evaluate((el) => getComputedStyle(el).getPropertyValue("--fill"))).toBe("100%");
    expect(await bar.evaluate((el) => getComputedStyle(el).forcedColorAdjust)).toBe("none");
    const highlight = await systemColor(visitor, "Highlight");
    const background = await bar.evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(background).toContain("to left");
    expect(background).toContain(highlight);
  });

  it("say so when details.js cannot be fetched, and close the table instead of leaving it empty", async () => {
    const visitor = await reader();
    await visitor.page.route("**/details.js", (route) => route.abort("connectionrefused"));
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    await widget.getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");
    const toggle = widget.getByRole("button", { name: "Rating details" });
    await toggle.click();
    await expect.poll(() => widget.getByRole("status").textContent()).toBe("Sorry, that did not work. Please try again.");
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await widget.getByRole("table").count()).toBe(0);
  });

  it("say how many earlier (imported) votes have no breakdown, in the reader's language", async () => {
    const article = freshArticle();
    const imported = await fetch(`${baseUrl}/api/v1/admin/import`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, "Content-Type": "application/x-ndjson" },
      body: JSON.stringify({ type: "earlier", source: "wordpress", article, count: 12, sum: 52 }),
    });
    expect(((await imported.json()) as { written: { earlier: number } }).written.earlier).toBe(1);
    await runCron(baseUrl);

    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(article));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 12 Average: 4.3)");
    await widget.getByRole("radio", { name: "1 star", exact: true }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 13 Average: 4.1)");
    await widget.getByRole("button", { name: "Rating details" }).click();
    const table = widget.getByRole("table", { name: "Rating details" });
    await expect.poll(() => table.locator("[part=earlier]").textContent()).toBe("12 earlier votes without a breakdown");
    // The rows count only the votes cast here, star by star.
    expect(await table.getByRole("cell").allTextContents()).toEqual(["", "0", "", "0", "", "0", "", "0", "", "1", "12 earlier votes without a breakdown"]);
    expect(await axeViolations(visitor.page)).toEqual([]);

    const spanish = await reader();
    await openHostPage(spanish, baseUrl, embed(article), "es");
    const rating = spanish.page.locator("plaudit-rating");
    await rating.getByRole("button", { name: "Detalle de valoraciones" }).click();
    await expect.poll(() => rating.locator("[part=earlier]").textContent()).toBe("12 votos anteriores sin desglose");
  });
});

describe("touch and forced colours", () => {
  it("votes with a tap, and leaves page scrolling to the browser", async () => {
    const visitor = await reader({ hasTouch: true });
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    await widget.getByRole("radio", { name: "3 stars" }).tap();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 3)");
    const touchAction = await widget.locator("[part=stars]").evaluate((el) => getComputedStyle(el).touchAction);
    expect(touchAction).toBe("auto");
  });

  it("keeps the stars visible with system colours in forced-colors mode", async () => {
    const visitor = await reader({ forcedColors: "active" });
    await openHostPage(visitor, baseUrl, embed(freshArticle()));
    const widget = visitor.page.locator("plaudit-rating");
    await widget.getByRole("radio", { name: "4 stars" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votes: 1 Average: 4)");
    const shape = widget.locator("[part=star-shape]").first();
    expect(await shape.evaluate((el) => getComputedStyle(el).forcedColorAdjust)).toBe("none");
    const highlight = await systemColor(visitor, "Highlight");
    expect(await shape.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain(highlight);
  });
});

describe("languages and direction", () => {
  it("speaks the page's language with its number format", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle()), "es");
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.locator("[part=prompt]").textContent()).toBe("¡Haz clic para valorar esta entrada!");
    await widget.getByRole("radio", { name: "4 estrellas" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("(Votos: 1 Media: 4)");
    expect(await widget.getByRole("radio", { name: "1 estrella", exact: true }).count()).toBe(1);
  });

  it("uses data-lang and template overrides from the script tag", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, embed(freshArticle(), `data-lang="de" data-legend="{count} [Stimme|Stimmen], Schnitt {average}"`));
    const widget = visitor.page.locator("plaudit-rating");
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("0 Stimmen, Schnitt 0");
    await widget.getByRole("radio", { name: "3 Sterne" }).click();
    await expect.poll(() => widget.locator("[part=legend]").textContent()).toBe("1 Stimme, Schnitt 3");
  });

  it("mirrors on right-to-left pages: fill from the right, ArrowLeft moves forward", async () => {
    const visitor = await reader();
    await openHostPage(visitor, baseUrl, `<div dir="rtl">${embed(freshArticle())}</div>`);
    const widget = visitor.page.locator("plaudit-rating");
    const first = await widget.getByRole("radio", { name: "1 star", exact: true }).boundingBox();
    const fifth = await widget.getByRole("radio", { name: "5 stars" }).boundingBox();
    expect(first!.x).toBeGreaterThan(fifth!.x);
    await widget.getByRole("radio", { name: "1 star", exact: true }).focus();
    await visitor.page.keyboard.press("ArrowLeft");
    expect(await widget.getByRole("radio", { name: "2 stars" }).evaluate((el) => el.matches(":focus"))).toBe(true);
    const background = await widget.locator("[part=star-shape]").first().evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(background).toContain("to left");
  });
});
