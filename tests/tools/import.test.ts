import { execFile } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { exportedSoFar } from "../../scripts/export.mjs";
import { htmlToText } from "../../scripts/import/html-text.mjs";
import { detectFormat, formatSummary, readSource, refusedCount, runImport } from "../../scripts/import/run.mjs";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "plaudit-import-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Item = { record?: Record<string, any>; skip?: string; where: string };

async function itemsOf(file: string, format: string, options: { articleId?: "path" | "url" } = {}): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of readSource(file, format, options)) items.push(item as Item);
  return items;
}

const records = (items: Item[]) => items.flatMap((item) => (item.record ? [item.record] : []));
const skips = (items: Item[]) => items.flatMap((item) => (item.skip ? [[item.skip, item.where]] : []));

/** A stand-in for the Worker's import route that keeps every batch it was sent. */
function fakeWorker(answer: (lines: string[], call: number) => Response | Promise<Response> = (lines) => Response.json({ received: lines.length, written: { comments: lines.length, votes: 0, earlier: 0 }, existing: 0, ignored: 0, skipped: [], rebuild: {} })) {
  const batches: string[][] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const lines = String(init?.body).trim().split("\n");
    batches.push(lines);
    return answer(lines, batches.length);
  };
  return { fetch: fetch as typeof globalThis.fetch, batches };
}

describe("HTML comment bodies to plain text", () => {
  it.each([
    ["<p>Hello &amp; welcome!</p><p>Second&nbsp;para<br>next line</p>", "Hello & welcome!\n\nSecond para\nnext line"],
    ['See <a href="https://example.com/x">this post</a> or https://a.example <a href="https://a.example">https://a.example</a>', "See this post (https://example.com/x) or https://a.example https://a.example"],
    ["<script>alert(1)</script><b>bold</b> &lt;i&gt;not a tag&lt;/i&gt; <img src=x onerror=alert(1)>", "bold <i>not a tag</i>"],
    ['<a href="javascript:alert(1)">click</a> <blockquote>quoted</blockquote>reply', "click\n\nquoted\n\nreply"],
    ["caf&eacute; &#8211; &#x1F33C; &hellip;", "café – 🌼 …"],
    // WordPress shortens a long address shown as a link's words: the address is shown once, whole.
    ['Like <a href="http://blog.example/2009/10/transform.html#monster" rel="nofollow">http://blog.example/2009/1...</a> said', "Like http://blog.example/2009/10/transform.html#monster said"],
    ['<a href="https://www.blog.example/2009/10/transform.html">blog.example/2009/10/tr&hellip;</a>', "https://www.blog.example/2009/10/transform.html"],
    ['<a href="https://blog.example/a/very/long/path/end.html">blog.example/a/…/end.html</a>', "https://blog.example/a/very/long/path/end.html"],
    // Words that only end in an ellipsis keep the address after them.
    ['<a href="https://blog.example/2009/10/transform.html">Read on...</a>', "Read on... (https://blog.example/2009/10/transform.html)"],
  ])("%j", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it("keeps WordPress's bare newlines as line breaks and blank lines as paragraphs", () => {
    expect(htmlToText("One\ntwo\n\n\n\nThree <em>four</em>", { newlines: "break" })).toBe("One\ntwo\n\nThree four");
  });
});

describe("reading a WordPress export (WXR)", () => {
  it("takes every comment with its author, date (GMT), status and parent, and says why others are skipped", async () => {
    const items = await itemsOf(join(fixtures, "wordpress.xml"), "wordpress");
    const comments = records(items).filter((record) => record.type === "comment");
    expect(comments.map((comment) => [comment.sourceId, comment.sourceParentId, comment.status])).toEqual([
      ["101", null, "approved"],
      ["102", "101", "approved"],
      ["103", "102", "approved"],
      ["104", "103", "approved"],
      ["105", null, "pending"],
      ["106", null, "spam"],
      ["201", null, "approved"],
    ]);
    expect(comments[0]).toEqual({
      type: "comment",
      source: "wordpress",
      sourceId: "101",
      sourceParentId: null,
      article: "/2019/04/tomatoes-and-friends/",
      author: "Grace Hopper",
      email: "grace@example.com",
      website: "https://grace.example/",
      body: "Marigolds really do keep the whitefly away & look lovely.\n\nThanks for the tip!\nGrace",
      createdAt: "2019-04-02T10:00:00.000Z",
      status: "approved",
    });
    expect(comments[1]).toMatchObject({ author: "Zoë Ångström", email: null, body: "Agreed — see this seed list (https://seeds.example/marigold) … 🌼 naïve café" });
    expect(comments[2]!.body).toBe("Third level.\n\nSecond paragraph with <b>not bold</b>\nand a break.");
    // A bad address and a javascript: "website" are left out, not the comment.
    expect(comments[4]).toMatchObject({ email: null, website: null });
    // No name, no email and only the local date.
    expect(comments[6]).toMatchObject({ article: "/2020/06/café-au-jardin/", author: "Anonymous", createdAt: "2020-06-02T10:00:00.000Z" });
    expect(skips(items).filter(([reason]) => !reason!.includes("ratings"))).toEqual([
      ["trashed", 'post "Tomatoes & their friends" (id 12), comment 107'],
      ["pingback", 'post "Tomatoes & their friends" (id 12), comment 108'],
      ["trackback", 'post "Tomatoes & their friends" (id 12), comment 109'],
    ]);
  });

  it("takes each rating plugin's totals as earlier votes, one plugin per post, 1–5 stars only", async () => {
    const items = await itemsOf(join(fixtures, "wordpress.xml"), "wordpress");
    expect(records(items).filter((record) => record.type === "earlier").map(({ article, count, sum }) => [article, count, sum])).toEqual([
      ["/2019/04/tomatoes-and-friends/", 12, 52], // WP-PostRatings
      ["/2020/06/café-au-jardin/", 7, 30], // kk Star Ratings
      ["/2021/01/kk-five/", 4, 18], // kk Star Ratings 5
      ["/2022/02/rmp/", 3, 11], // Rate My Post, over kk's smaller tally
    ]);
    expect(skips(items).filter(([reason]) => reason!.includes("ratings")).map(([reason]) => reason)).toEqual([
      "ratings of a second plugin on the same post (kept Rate My Post's larger tally)",
      "ratings not on a 1–5 star scale",
    ]);
  });

  it("keeps the whole permalink with --article-id url", async () => {
    const items = await itemsOf(join(fixtures, "wordpress.xml"), "wordpress", { articleId: "url" });
    expect(records(items)[0]!.article).toBe("https://garden.example/2019/04/tomatoes-and-friends/");
  });

  it("names the line and column of a file that is not well-formed XML", async () => {
    const broken = join(root, "broken.xml");
    writeFileSync(broken, '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><item><title>x</titel></item></channel></rss>\n');
    await expect(itemsOf(broken, "wordpress")).rejects.toThrow(/broken\.xml:3:\d+: unexpected close tag/);
  });
});

/** A small WXR file of the given <item>s. */
function wxrFile(name: string, items: string[]): string {
  const file = join(root, name);
  writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n${items.join("\n")}\n</channel></rss>\n`);
  return file;
}

/** A WXR comment; `fields` replace or (as null) leave out its elements. */
function wxrComment(id: number, fields: Record<string, string | null> = {}): string {
  const all: Record<string, string | null> = { comment_id: String(id), comment_author: "Reader", comment_date_gmt: "2020-01-01 00:00:00", comment_content: `Comment ${id}`, comment_approved: "1", comment_parent: "0", ...fields };
  return `<wp:comment>${Object.entries(all).flatMap(([name, value]) => (value === null ? [] : [`<wp:${name}><![CDATA[${value}]]></wp:${name}>`])).join("")}</wp:comment>`;
}

const wxrItem = (id: number, link: string, comments: string[]) => `<item><title>Post ${id}</title><link>${link}</link><wp:post_id>${id}</wp:post_id>${comments.join("")}</item>`;

describe("reading a WooCommerce shop (WXR)", () => {
  const shop = join(fixtures, "woocommerce.xml");

  it("takes each approved rated review as its reviewer's vote on the product, so the per-star breakdown is the shop's", async () => {
    const items = await itemsOf(shop, "wordpress");
    const votes = records(items).filter((record) => record.type === "vote");
    expect(votes).toEqual([
      { type: "vote", source: "wordpress", sourceId: "501", article: "/product/stoneware-teapot/", rating: 5, at: "2023-02-10T08:15:00.000Z" },
      { type: "vote", source: "wordpress", sourceId: "502", article: "/product/stoneware-teapot/", rating: 4, at: "2023-03-01T17:40:00.000Z" },
      { type: "vote", source: "wordpress", sourceId: "504", article: "/product/stoneware-teapot/", rating: 4, at: "2023-04-12T12:00:00.000Z" },
      { type: "vote", source: "wordpress", sourceId: "505", article: "/product/stoneware-teapot/", rating: 1, at: "2023-05-20T19:30:00.000Z" },
    ]);
    // The reviews themselves come across as comments, the shop's reply and the pending one included.
    expect(records(items).filter((record) => record.type === "comment").map((comment) => [comment.sourceId, comment.status])).toEqual([
      ["501", "approved"],
      ["502", "approved"],
      ["503", "approved"],
      ["504", "approved"],
      ["505", "approved"],
      ["506", "pending"],
      ["510", "approved"],
      ["511", "approved"],
    ]);
    // Reading it again gives the same records: the votes' voters are derived from the reviews.
    expect(records(await itemsOf(shop, "wordpress"))).toEqual(records(items));
  });

  it("lists the ratings it leaves out, and rating meta it does not understand by its key", async () => {
    expect(skips(await itemsOf(shop, "wordpress"))).toEqual([
      ["rating of a review that is not approved (pending)", 'post "Stoneware teapot, 1 litre" (id 40), comment 506, rating'],
      ['review rating not 1–5 stars ("4.5")', 'post "Bamboo tea whisk" (id 41), comment 510, rating'],
      ['rating meta "review_stars" not understood', 'post "Bamboo tea whisk" (id 41), comment 511'],
      ['rating meta "_yasr_overall_rating" not understood', 'post "Bamboo tea whisk" (id 41)'],
    ]);
    const text = formatSummary(await runImport({ file: shop, dryRun: true }), { dryRun: true });
    expect(text).toContain("votes: 4 (5 stars: 1, 4 stars: 2, 1 star: 1)");
    expect(text).toContain("skipped: 4");
    expect(text).toContain('rating meta "review_stars" not understood: 1');
  });

  it("sends the votes with the comments", async () => {
    const worker = fakeWorker();
    await runImport({ file: shop, api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 });
    const sent = worker.batches.flat().map((line) => JSON.parse(line));
    expect(sent.filter((record) => record.type === "vote").map((vote) => vote.rating)).toEqual([5, 4, 4, 1]);
  });
});

describe("reading a Disqus export", () => {
  it("takes threads by link and posts with author, date, parent and spam, and skips deleted ones", async () => {
    const items = await itemsOf(join(fixtures, "disqus.xml"), "disqus");
    expect(records(items).map(({ sourceId, sourceParentId, article, author, email, status }) => [sourceId, sourceParentId, article, author, email, status])).toEqual([
      ["7001", null, "/posts/hello/", "Lin", "lin@example.com", "approved"],
      ["7002", "7001", "/posts/hello/", "Søren", null, "approved"],
      ["7003", "7002", "/posts/hello/", "Lin", "lin@example.com", "approved"],
      ["7005", null, "/posts/second/", "Pills", "bot@pills.example", "spam"],
      ["7006", null, "/posts/second/", "Mo", null, "approved"],
    ]);
    expect(records(items)[0]).toMatchObject({ source: "disqus", body: "First! Nice & tidy.\n\nSecond paragraph\nwith a break.", createdAt: "2016-01-02T10:00:00.000Z" });
    expect(records(items)[1]!.body).toBe("Reply to Lin — see the guide (https://docs.example/guide).");
    expect(skips(items)).toEqual([["deleted", "post 7004"]]);
  });
  it("reads Disqus's gzipped export as it comes", async () => {
    const gz = join(root, "disqus.xml.gz");
    writeFileSync(gz, gzipSync(readFileSync(join(fixtures, "disqus.xml"))));
    expect(await detectFormat(gz)).toBe("disqus");
    expect(records(await itemsOf(gz, "disqus"))).toEqual(records(await itemsOf(join(fixtures, "disqus.xml"), "disqus")));
  });
});

describe("npm run import", () => {
  it("tells the formats apart from the file's first bytes", async () => {
    const ndjson = join(root, "backup.ndjson");
    writeFileSync(ndjson, '{"type":"export","version":1}\n');
    expect(await detectFormat(join(fixtures, "wordpress.xml"))).toBe("wordpress");
    expect(await detectFormat(join(fixtures, "disqus.xml"))).toBe("disqus");
    expect(await detectFormat(ndjson)).toBe("plaudit");
    // Gzipped, whatever the file is called.
    const zipped = join(root, "backup-from-server");
    writeFileSync(zipped, gzipSync(readFileSync(join(fixtures, "wordpress.xml"))));
    expect(await detectFormat(zipped)).toBe("wordpress");
    expect(records(await itemsOf(zipped, "wordpress"))).toEqual(records(await itemsOf(join(fixtures, "wordpress.xml"), "wordpress")));
    const other = join(root, "other.xml");
    writeFileSync(other, "<html></html>");
    await expect(detectFormat(other)).rejects.toThrow(`Cannot tell what ${other} is: it is a web page (HTML), not an export.`);
  });

  it("refuses other systems' exports before sending anything, saying what they look like", async () => {
    const commento = join(root, "commento.json");
    writeFileSync(commento, JSON.stringify({ version: 1, comments: [{ commentHex: "a1", domain: "blog.example", url: "/post", commenterHex: "c1", markdown: "Hi", html: "<p>Hi</p>", parentHex: "root", score: 0, state: "approved", creationDate: "2021-01-01T00:00:00Z" }], commenters: [{ commenterHex: "c1", email: "x@example.com", name: "X" }] }, null, 2));
    const remark42 = join(root, "remark42-backup");
    const remarkLines = [
      { version: 1, users: [], posts: [{ url: "https://blog.example/post", read_only: false }] },
      { id: "r1", pid: "", text: "<p>Hello</p>", user: { name: "Y", id: "github_y" }, locator: { site: "remark", url: "https://blog.example/post" }, time: "2021-01-01T00:00:00Z" },
    ];
    writeFileSync(remark42, gzipSync(remarkLines.map((line) => JSON.stringify(line)).join("\n")));
    for (const [file, kind] of [
      [commento, "a Commento export"],
      [remark42, "a Remark42 backup"],
    ]) {
      const worker = fakeWorker();
      await expect(runImport({ file: file!, api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 })).rejects.toThrow(`Cannot tell what ${file} is: it looks like ${kind}, which this command does not import. Nothing was written.`);
      expect(worker.batches).toEqual([]);
    }
    // --from must agree with what the file is.
    await expect(runImport({ file: join(fixtures, "wordpress.xml"), from: "plaudit", dryRun: true })).rejects.toThrow("is a WordPress export (WXR), not a Plaudit backup (NDJSON) (--from plaudit)");
  });

  it("ends with exit status 1 when records were refused, and 0 when all went in", async () => {
    const damaged = join(root, "damaged.ndjson");
    writeFileSync(damaged, ['{"type":"export","version":1}', JSON.stringify({ type: "earlier", article: "/a/", count: 2, sum: 9, source: "wordpress" }), '{"type":"vote","art'].join("\n"));
    const run = (file: string) => promisify(execFile)(process.execPath, ["scripts/import.mjs", file, "--dry-run"]).then(({ stdout }) => ({ code: 0, stdout }), (error) => ({ code: error.code as number, stdout: `${error.stdout}${error.stderr}` }));
    const broken = await run(damaged);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain("refused (the file is damaged, or holds what this command cannot read): 1\n    not valid JSON: 1 (e.g. line 3)");
    expect(broken.stdout).toContain("Not everything would go in: 1 record was refused (listed above).");
    expect(await run(join(fixtures, "wordpress.xml"))).toMatchObject({ code: 0 });
    const html = join(root, "page.html");
    writeFileSync(html, "<!doctype html><html><body>Hi</body></html>");
    expect(await run(html)).toMatchObject({ code: 1, stdout: expect.stringContaining("Cannot tell what") });
    // A Disqus post whose thread is not in the file is refused, not passed over.
    const orphan = join(root, "orphan.xml");
    writeFileSync(orphan, `<?xml version="1.0"?><disqus xmlns:dsq="http://disqus.com/disqus-internals"><post dsq:id="1"><message>Hi</message><createdAt>2020-01-01T00:00:00Z</createdAt><thread dsq:id="404"/></post></disqus>`);
    expect(refusedCount(await runImport({ file: orphan, dryRun: true }))).toBe(1);
    // Records the Worker refused count too.
    const worker = fakeWorker((lines) => Response.json({ received: lines.length, written: { comments: lines.length - 1 }, existing: 0, ignored: 0, skipped: [{ line: 1, code: "invalid_record", message: "`body` is empty." }], rebuild: {} }));
    expect(refusedCount(await runImport({ file: join(fixtures, "disqus.xml"), api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 }))).toBe(1);
  });

  it("restores every kind of record of a Plaudit backup, feedback included", async () => {
    const backup = join(root, "backup-all.ndjson");
    const lines = [
      { type: "export", version: 1 },
      { type: "vote", article: "/a/", voter: "v".repeat(22), rating: 2, at: "2024-01-01T00:00:00.000Z" },
      { type: "earlier", article: "/a/", count: 2, sum: 9, at: "2024-01-01T00:00:00.000Z" },
      { type: "comment", id: "0000000000000000001", article: "/a/", parentId: null, author: "Ada", email: null, website: null, body: "Hi", createdAt: "2024-01-01T00:00:00.000Z", editedAt: null, status: "approved", ipHash: "" },
      { type: "feedback", article: "/a/", id: `1704067200000.${"v".repeat(22)}.abcdefghij`, rating: 2, body: "More photos", createdAt: "2024-01-01T00:00:00.000Z", voter: "v".repeat(22) },
    ];
    writeFileSync(backup, lines.map((line) => JSON.stringify(line)).join("\n"));
    const worker = fakeWorker();
    const summary = await runImport({ file: backup, api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 });
    expect(worker.batches.flat().map((line) => JSON.parse(line))).toEqual(lines.slice(1));
    expect(refusedCount(summary)).toBe(0);
  });

  it("says how much of a file cut short had gone in, and that running it again once whole is safe", async () => {
    const posts = Array.from({ length: 50 }, (_, post) => wxrItem(post, `https://cut.example/${post}/`, Array.from({ length: 10 }, (_, n) => wxrComment(post * 10 + n))));
    const whole = readFileSync(wxrFile("whole.xml", posts), "utf8");
    const cut = join(root, "cut.xml");
    // Cut inside the 43rd post: 420 comments before it, two full batches of 200 sent.
    writeFileSync(cut, whole.slice(0, whole.indexOf("<title>Post 42</title>") + 200));
    const worker = fakeWorker();
    const failure = await runImport({ file: cut, api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 }).catch((error: Error) => error);
    expect(worker.batches.flat()).toHaveLength(400);
    expect(String(failure)).toMatch(new RegExp(`Import failed: ${cut}:\\d+:\\d+: .+`));
    expect(String(failure)).toContain("400 records from before that point had already gone in (400 comments, 0 votes, 0 earlier-vote totals, 0 feedback; already there: 0).");
    expect(String(failure)).toContain("Running the same command again once the file is whole is safe");
    const dry = await runImport({ file: cut, dryRun: true }).catch((error: Error) => error);
    expect(String(dry)).toContain("Nothing was written.");
  });

  it("says a refused admin token is wrong, without promising that running again resumes", async () => {
    const worker = fakeWorker(() => Response.json({ error: { code: "unauthorized", message: "A valid admin token is required." } }, { status: 401 }));
    const failure = await runImport({ file: join(fixtures, "disqus.xml"), api: "https://p.example", token: "wrong", fetch: worker.fetch, gapMs: 0, pause: 1 }).catch((error: Error) => error);
    expect(worker.batches).toHaveLength(1);
    expect(String(failure)).toContain("401 unauthorized: A valid admin token is required.");
    expect(String(failure)).toContain("The Worker at https://p.example does not accept this admin token");
    expect(String(failure)).toContain("Nothing was written.");
    expect(String(failure)).not.toContain("run the same command again");
  });

  it("reports a comment id the file holds twice as a duplicate in the file, in a dry run too, and sends the first", async () => {
    const file = wxrFile("duplicates.xml", [wxrItem(1, "https://dup.example/one/", [wxrComment(7), wxrComment(8)]), wxrItem(2, "https://dup.example/two/", [wxrComment(7, { comment_content: "Another text under the same id" })])]);
    const dry = formatSummary(await runImport({ file, dryRun: true }), { dryRun: true });
    expect(dry).toContain('the same comment id again in the file (the first one is kept): 1 (e.g. post "Post 2" (id 2), comment 7)');
    const worker = fakeWorker();
    const summary = await runImport({ file, api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 });
    expect(worker.batches.flat().map((line) => [JSON.parse(line).sourceId, JSON.parse(line).body])).toEqual([
      ["7", "Comment 7"],
      ["8", "Comment 8"],
    ]);
    expect(summary.rejected).toEqual([]);
  });

  it("cuts a comment over 5,000 characters to 5,000 with a visible \"…\", and says so", async () => {
    const long = `${"Imported history. ".repeat(322)}The end.`;
    expect(long.length).toBe(5_804);
    const file = wxrFile("long.xml", [wxrItem(1, "https://long.example/post/", [wxrComment(1, { comment_content: long }), wxrComment(2)])]);
    const items = await itemsOf(file, "wordpress");
    const body = records(items)[0]!.body as string;
    expect([...body]).toHaveLength(5_000);
    expect(body).toBe(`${long.slice(0, 4_999).trimEnd()}…`);
    const text = formatSummary(await runImport({ file, dryRun: true }), { dryRun: true });
    expect(text).toContain('changed to fit: 1\n    longer than 5,000 characters: cut to 5,000, ending in "…": 1 (e.g. post "Post 1" (id 1), comment 1)');
    expect(text).toContain("comments: 2 (approved 2)");
  });

  it("takes a comment without <wp:comment_approved> as approved, as WordPress does", async () => {
    const file = wxrFile("no-status.xml", [wxrItem(1, "https://status.example/post/", [wxrComment(1, { comment_approved: null }), wxrComment(2, { comment_approved: "0" })])]);
    expect(records(await itemsOf(file, "wordpress")).map((comment) => [comment.sourceId, comment.status])).toEqual([
      ["1", "approved"],
      ["2", "pending"],
    ]);
  });

  it("says 1 page, 1 article, 1 earlier vote", async () => {
    expect(exportedSoFar(1, 1)).toBe("1 record in 1 page");
    expect(exportedSoFar(1_200, 2)).toBe("1,200 records in 2 pages");
    const file = wxrFile("one.xml", [`<item><title>One</title><link>https://one.example/p/</link><wp:postmeta><wp:meta_key>ratings_users</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>ratings_score</wp:meta_key><wp:meta_value>4</wp:meta_value></wp:postmeta></item>`]);
    expect(formatSummary(await runImport({ file, dryRun: true }), { dryRun: true })).toContain("ratings: 1 article with 1 earlier vote");
  });

  it("prints a summary of what a dry run would import, sending nothing", async () => {
    const worker = fakeWorker();
    const summary = await runImport({ file: join(fixtures, "wordpress.xml"), dryRun: true, fetch: worker.fetch });
    expect(worker.batches).toEqual([]);
    const text = formatSummary(summary, { dryRun: true });
    expect(text).toContain("Dry run (nothing written) from wordpress:");
    expect(text).toContain("articles: 4");
    expect(text).toContain("comments: 7 (approved 5, pending 1, spam 1)");
    expect(text).toContain("ratings: 4 articles with 26 earlier votes");
    expect(text).toContain("skipped: 5");
    expect(text).toMatch(/pingback: 1 \(e\.g\. post "Tomatoes & their friends" \(id 12\), comment 108\)/);
  });

  it("keeps WordPress's plain permalinks (?p=N) apart by their query string, and warns that the widget needs that id", async () => {
    const plain = wxrFile("plain-permalinks.xml", [wxrItem(1, "https://plain.example/?p=1", [wxrComment(1)]), wxrItem(2, "https://plain.example/?p=2", [wxrComment(2)])]);
    expect(records(await itemsOf(plain, "wordpress")).map((record) => record.article)).toEqual(["/?p=1", "/?p=2"]);
    const byPath = formatSummary(await runImport({ file: plain, dryRun: true }), { dryRun: true });
    expect(byPath).toContain("articles: 2");
    expect(byPath).not.toContain("merged");
    expect(byPath).toContain('plain permalinks: 2 article ids include the permalink\'s query string (e.g. "/?p=1" from https://plain.example/?p=1)');
    // A file of one such post (imports made one by one) is warned about too.
    const single = wxrFile("plain-single.xml", [wxrItem(3, "https://plain.example/?p=3", [wxrComment(3)])]);
    expect(formatSummary(await runImport({ file: single, dryRun: true }), { dryRun: true })).toContain('plain permalinks: 1 article id includes the permalink\'s query string (e.g. "/?p=3"');
    const byUrl = formatSummary(await runImport({ file: plain, dryRun: true, articleId: "url" }), { dryRun: true });
    expect(byUrl).not.toContain("plain permalinks");
    expect(byUrl).toContain("articles: 2");
  });

  it("still says when several permalinks became one article id", async () => {
    const file = wxrFile("merged.xml", [wxrItem(1, "https://a.example/same/", [wxrComment(1)]), wxrItem(2, "https://b.example/same/", [wxrComment(2)])]);
    expect(formatSummary(await runImport({ file, dryRun: true }), { dryRun: true })).toContain('merged: 1 article id came from more than one permalink (e.g. "/same/" from https://a.example/same/ and https://b.example/same/)');
  });

  it("reports each record the Worker refused by where it is in the file", async () => {
    const worker = fakeWorker((lines) =>
      Response.json({ received: lines.length, written: { comments: lines.length - 1, votes: 0, earlier: 0 }, existing: 0, ignored: 0, skipped: [{ line: 2, code: "invalid_record", message: "`body` is empty.", field: "body" }], rebuild: {} }),
    );
    const summary = await runImport({ file: join(fixtures, "disqus.xml"), api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 });
    expect(summary.rejected).toEqual([{ where: 'post 7002 on "Hello, world"', message: "`body` is empty." }]);
    expect(formatSummary(summary)).toContain('refused by the Worker: 1\n    post 7002 on "Hello, world": `body` is empty.');
  });

  it("retries a failed batch, then stops saying where and how to resume", async () => {
    const worker = fakeWorker(() => new Response('{"error":{"code":"storage_unavailable","message":"Storage is temporarily unavailable."}}', { status: 503 }));
    const run = runImport({ file: join(fixtures, "disqus.xml"), api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0, pause: 1 });
    await expect(run).rejects.toThrow(/Stopped at post 7001 on "Hello, world" \(batch 1, after 0 records went in\): 503 storage_unavailable[\s\S]*run the same command again to resume/);
    expect(worker.batches).toHaveLength(4);
  });

  it("sends the comments of at most 40 articles a batch, so the Worker hands every thread to its writer", async () => {
    const file = join(root, "many-posts.xml");
    let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Many</title>\n';
    for (let post = 0; post < 100; post += 1) {
      xml += `<item><title>Post ${post}</title><link>https://many.example/${post}/</link><wp:post_id>${post}</wp:post_id><wp:post_type>post</wp:post_type>`;
      xml += `<wp:comment><wp:comment_id>${post}</wp:comment_id><wp:comment_author><![CDATA[Reader ${post}]]></wp:comment_author><wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[First on post ${post}.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment></item>\n`;
    }
    writeFileSync(file, `${xml}</channel></rss>\n`);
    const worker = fakeWorker();
    const summary = await runImport({ file, api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0 });
    expect(summary.written.comments).toBe(100);
    const articlesPerBatch = worker.batches.map((batch) => new Set(batch.map((line) => JSON.parse(line).article)).size);
    expect(articlesPerBatch).toEqual([40, 40, 20]);
  });

  it("streams a 20,000-comment export over 2,000 posts in batches of at most 200, starting before the file is read", async () => {
    const file = join(root, "big.xml");
    const out = createWriteStream(file);
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Big</title>\n');
    for (let post = 0; post < 2000; post += 1) {
      let item = `<item><title>Post ${post}</title><link>https://big.example/${post}/</link><wp:post_id>${post}</wp:post_id><wp:post_type>post</wp:post_type>\n`;
      for (let n = 0; n < 10; n += 1) {
        const id = post * 10 + n;
        item += `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[Reader ${id}]]></wp:comment_author><wp:comment_author_email>r${id}@example.com</wp:comment_author_email><wp:comment_date_gmt>2020-01-01 00:00:${String(n).padStart(2, "0")}</wp:comment_date_gmt><wp:comment_content><![CDATA[<p>Comment ${id} &amp; some words to give it weight.</p>]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>${n === 0 ? 0 : id - 1}</wp:comment_parent></wp:comment>\n`;
      }
      out.write(`${item}</item>\n`);
    }
    out.end("</channel></rss>\n");
    await new Promise<void>((done) => out.on("close", () => done()));

    const total = statSync(file).size;
    const progress: number[] = [];
    const worker = fakeWorker();
    const summary = await runImport({ file, api: "https://p.example", token: "t", fetch: worker.fetch, gapMs: 0, progress: ({ bytes }) => progress.push(bytes) });
    const readWhenFirstSent = progress[0]!;
    expect(summary.comments.approved).toBe(20_000);
    expect(summary.articles.size).toBe(2000);
    expect(summary.written.comments).toBe(20_000);
    expect(worker.batches).toHaveLength(100);
    expect(Math.max(...worker.batches.map((batch) => batch.length))).toBeLessThanOrEqual(200);
    // The first batch went out with most of the file still unread: it is parsed as it streams.
    expect(readWhenFirstSent).toBeGreaterThan(0);
    expect(readWhenFirstSent).toBeLessThan(total / 4);
  }, 60_000);
});
