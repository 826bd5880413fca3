import { describe, expect, it } from "vitest";
import { axeViolations, expectNoProblems, openHostPage, publishComment, runCron, useBrowser, type Reader } from "./support/browser";

const { baseUrl, reader } = useBrowser();
let counter = 0;
const fresh = (label: string) => `/counts/${label}-${Date.now()}-${++counter}/`;
let ipCounter = 0;
const freshIp = () => `203.0.113.${(++ipCounter % 250) + 1}`;

/** Exactly the policy docs/embedding.md's "Content Security Policy" asks a host for. */
const STRICT_CSP = `default-src 'none'; script-src ${baseUrl}; connect-src ${baseUrl}; style-src 'self'`;

async function seedVote(article: string, rating: number) {
  const response = await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}/vote`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    body: JSON.stringify({ voter: `seed_${crypto.randomUUID().replaceAll("-", "")}`, rating }),
  });
  expect(response.ok).toBe(true);
  // A second vote within a turn (1.5 s) is written to the public rating a moment after its answer:
  // wait for page views to include it, as a reader arriving a moment later would see it.
  const { rating: counted } = (await response.json()) as { rating: { count: number } };
  const publicCount = async () => ((await (await fetch(`${baseUrl}/api/v1/articles/${encodeURIComponent(article)}`)).json()) as { rating: { count: number } }).rating.count;
  await expect.poll(publicCount).toBeGreaterThanOrEqual(counted.count);
}

async function seedComment(article: string) {
  await publishComment(baseUrl, article, { author: "Ada", body: `A remark ${crypto.randomUUID()}` }, freshIp());
}

function apiRequests(visitor: Reader): string[] {
  const seen: string[] = [];
  visitor.page.on("request", (request) => {
    if (request.url().includes("/api/")) seen.push(`${request.method()} ${decodeURIComponent(request.url().replace(baseUrl, ""))}`);
  });
  return seen;
}

/** Record every CSP violation, including those raised inside the widgets' shadow roots. */
async function watchViolations(visitor: Reader) {
  await visitor.page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { violations: string[] }).violations = []);
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective}: ${event.blockedURI}`), true);
  });
  return () => visitor.page.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

const snippets = (visitor: Reader) =>
  visitor.page.evaluate(() => [...document.querySelectorAll('script[type="application/ld+json"]')].map((script) => ({ inHead: script.parentElement === document.head, data: JSON.parse(script.textContent!) })));

describe("<plaudit-count> on an index page", () => {
  it("shows stars, average, votes and comments for 30 articles from one request, accessibly", async () => {
    const [rated, commented] = [fresh("rated"), fresh("commented")];
    await seedVote(rated, 4);
    await seedVote(commented, 5);
    await seedComment(commented);
    const others = Array.from({ length: 28 }, (_, n) => fresh(`other-${n}`));
    const articles = [rated, commented, ...others];

    const visitor = await reader();
    const requests = apiRequests(visitor);
    const list = articles.map((article) => `<li><a href="${article}">A post</a> <plaudit-count article="${article}" href="${article}"></plaudit-count></li>`).join("");
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js"></script><ul>${list}</ul>`);

    const counts = visitor.page.locator("plaudit-count");
    await expect.poll(() => counts.nth(29).locator("[part=votes]").textContent()).toBe("(0 votes)");
    const first = counts.nth(0);
    expect(await first.getByRole("img").getAttribute("aria-label")).toBe("Rated 4 out of 5");
    expect(await first.locator("[part=average]").textContent()).toBe("4");
    expect(await first.locator("[part=votes]").textContent()).toBe("(1 vote)");
    expect(await first.getByRole("link").textContent()).toBe("0 comments");
    const second = counts.nth(1);
    expect(await second.getByRole("link", { name: "1 comment" }).getAttribute("href")).toBe(`${commented}#comments`);
    expect(await counts.nth(2).getByRole("img").getAttribute("aria-label")).toBe("Not rated yet");
    // Read-only: an image with a text alternative, nothing to choose.
    expect(await counts.getByRole("radio").count()).toBe(0);
    const fills = await first.locator("[part=star-shape]").evaluateAll((stars) => stars.map((star) => getComputedStyle(star).getPropertyValue("--fill")));
    expect(fills).toEqual(["100%", "100%", "100%", "100%", "0%"]);

    await visitor.page.waitForLoadState("networkidle");
    expect(requests).toEqual([`GET /api/v1/articles?${articles.map((id) => `ids=${id}`).join("&")}`]);
    expect(await axeViolations(visitor.page)).toEqual([]);
    expectNoProblems(visitor);
  });

  it("batches elements added in one task; a plain span without href; language packs apply", async () => {
    const article = fresh("german");
    await seedVote(article, 3);
    await seedVote(article, 4);
    // The second vote finds the article hot and leaves its count to the minute cron.
    await runCron(baseUrl);
    const visitor = await reader();
    const requests = apiRequests(visitor);
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/count.js"></script><div id="list"></div>`, "de");
    await visitor.page.waitForFunction(() => customElements.get("plaudit-count"));
    // Added by a script after the page loaded, all in one task.
    await visitor.page.evaluate((ids) => {
      for (const id of ids) {
        const count = document.createElement("plaudit-count");
        count.setAttribute("article", id);
        document.getElementById("list")!.append(count);
      }
    }, [article, fresh("g2"), fresh("g3")]);
    const count = visitor.page.locator("plaudit-count").first();
    await expect.poll(() => count.locator("[part=votes]").textContent()).toBe("(2 Stimmen)");
    expect(await count.locator("[part=average]").textContent()).toBe("3,5");
    expect(await count.getByRole("img").getAttribute("aria-label")).toBe("Mit 3,5 von 5 bewertet");
    expect(await count.locator("[part=comments]").evaluate((element) => element.localName)).toBe("span");
    expect(await count.locator("[part=comments]").textContent()).toBe("0 Kommentare");
    await visitor.page.waitForLoadState("networkidle");
    expect(requests.filter((request) => request.startsWith("GET /api/v1/articles?"))).toHaveLength(1);
    expectNoProblems(visitor);
  });

  it("loads count.js on demand from rating.js and runs under a strict CSP", async () => {
    const article = fresh("csp");
    await seedVote(article, 5);
    const visitor = await reader();
    const violations = await watchViolations(visitor);
    const scripts: string[] = [];
    visitor.page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/rating.js"></script><plaudit-count article="${article}" href="/post/"></plaudit-count>`, {
      headers: { "Content-Security-Policy": STRICT_CSP },
    });
    const count = visitor.page.locator("plaudit-count");
    await expect.poll(() => count.locator("[part=votes]").textContent()).toBe("(1 vote)");
    expect(await count.locator("[part=star-shape]").last().evaluate((star) => getComputedStyle(star).backgroundImage)).toMatch(/rgb\(232, 163, 23\) 100%/);
    expect(scripts).toEqual(["/rating.js", "/count.js"]);
    expect(await violations()).toEqual([]);
    expectNoProblems(visitor);
  });

  it("is not fetched by a page without counts or snippets", async () => {
    const visitor = await reader();
    const scripts: string[] = [];
    visitor.page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js" data-mount data-article="${fresh("plain")}"></script>`);
    await expect.poll(() => visitor.page.locator("plaudit-rating [part=legend]").textContent()).toMatch(/Votes/);
    await visitor.page.waitForLoadState("networkidle");
    expect(scripts).toEqual(["/embed.js"]);
  });
});

describe("<plaudit-rating readonly>", () => {
  it("shows the average as an image with its text, offers no vote, and passes axe", async () => {
    const article = fresh("readonly");
    await seedVote(article, 4);
    await seedVote(article, 5);
    await runCron(baseUrl);
    const visitor = await reader();
    const requests = apiRequests(visitor);
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js"></script><plaudit-rating readonly article="${article}"></plaudit-rating>`);
    const rating = visitor.page.locator("plaudit-rating");
    await expect.poll(() => rating.locator("[part=legend]").textContent()).toBe("(Votes: 2 Average: 4.5)");
    expect(await rating.getByRole("radio").count()).toBe(0);
    expect(await rating.getByRole("radiogroup").count()).toBe(0);
    expect(await rating.getByRole("img", { name: "Rated 4.5 out of 5 by 2 readers" }).count()).toBe(1);
    expect(await rating.locator("[part=prompt]").textContent()).toBe("");
    await rating.locator("[part=star-shape]").first().click();
    await visitor.page.keyboard.press("Tab");
    await visitor.page.keyboard.press("Enter");
    expect(await axeViolations(visitor.page)).toEqual([]);
    await visitor.page.waitForLoadState("networkidle");
    expect(requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
    expectNoProblems(visitor);
  });
});

describe("rich snippets (jsonld) and plaudit-load", () => {
  it("writes a JSON-LD AggregateRating into the host document once rated, keeps it current, and removes it with the element", async () => {
    const article = fresh("snippet");
    const visitor = await reader();
    const violations = await watchViolations(visitor);
    await visitor.page.addInitScript(() => {
      const loads: unknown[] = ((window as unknown as { loads: unknown[] }).loads = []);
      document.addEventListener("plaudit-load", (event) => loads.push({ target: (event.target as Element).localName, detail: (event as CustomEvent).detail }));
    });
    await openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js" data-mount data-article="${article}" data-jsonld="Recipe" data-jsonld-name="Pancakes </script><b>"></script>`, {
      headers: { "Content-Security-Policy": STRICT_CSP },
    });
    const rating = visitor.page.locator("plaudit-rating");
    await expect.poll(() => rating.locator("[part=legend]").textContent()).toBe("(Votes: 0 Average: 0)");
    const loads = await visitor.page.evaluate(() => (window as unknown as { loads: { target: string; detail: any }[] }).loads);
    expect(loads).toHaveLength(1);
    expect(loads[0]!.target).toBe("plaudit-rating");
    expect(loads[0]!.detail).toMatchObject({ article, rating: { count: 0, average: 0, best: 5 }, comments: { count: 0, items: [] } });
    await visitor.page.waitForFunction(() => customElements.get("plaudit-count"));
    // Never for zero votes.
    expect(await snippets(visitor)).toEqual([]);

    await rating.getByRole("radio", { name: "4 stars" }).click();
    const expected = (ratingValue: number) => ({
      "@context": "https://schema.org",
      "@type": "Recipe",
      name: "Pancakes </script><b>",
      aggregateRating: { "@type": "AggregateRating", ratingValue, ratingCount: 1, bestRating: 5, worstRating: 1 },
    });
    await expect.poll(() => snippets(visitor)).toEqual([{ inHead: true, data: expected(4) }]);
    // The name cannot close the script element it lives in.
    expect(await visitor.page.evaluate(() => document.querySelector('script[type="application/ld+json"]')!.textContent)).not.toContain("</script>");

    await rating.getByRole("radio", { name: "2 stars" }).click();
    await expect.poll(() => snippets(visitor)).toEqual([{ inHead: true, data: expected(2) }]);

    await rating.evaluate((element) => element.remove());
    await expect.poll(() => snippets(visitor)).toEqual([]);
    expect(await violations()).toEqual([]);
    expectNoProblems(visitor);
  });

  it("defaults to CreativeWork and covers ratings that loaded before count.js arrived", async () => {
    const article = fresh("creative");
    await seedVote(article, 5);
    const visitor = await reader();
    // Hold count.js back until the rating has loaded.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.page.route(`${baseUrl}/count.js`, async (route) => {
      await held;
      await route.continue();
    });
    // Not awaited: the page's load event waits for count.js, which is held back.
    const opened = openHostPage(visitor, baseUrl, `<script async src="${baseUrl}/embed.js"></script><plaudit-rating jsonld article="${article}"></plaudit-rating>`);
    await expect.poll(() => visitor.page.locator("plaudit-rating [part=legend]").textContent()).toBe("(Votes: 1 Average: 5)");
    expect(await snippets(visitor)).toEqual([]);
    release();
    await opened;
    await expect
      .poll(() => snippets(visitor))
      .toEqual([
        {
          inHead: true,
          data: { "@context": "https://schema.org", "@type": "CreativeWork", aggregateRating: { "@type": "AggregateRating", ratingValue: 5, ratingCount: 1, bestRating: 5, worstRating: 1 } },
        },
      ]);
    expectNoProblems(visitor);
  });
});
