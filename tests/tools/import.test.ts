import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { htmlToText } from "../../scripts/import/html-text.mjs";
import { detectFormat, formatSummary, readSource, runImport } from "../../scripts/import/run.mjs";

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
    const other = join(root, "other.xml");
    writeFileSync(other, "<html></html>");
    await expect(detectFormat(other)).rejects.toThrow(/--from/);
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

  it("says when several permalinks became one article id (plain ?p= permalinks)", async () => {
    const plain = join(root, "plain-permalinks.xml");
    const item = (id: number) =>
      `<item><title>Post ${id}</title><link>https://plain.example/?p=${id}</link><wp:post_id>${id}</wp:post_id><wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>A</wp:comment_author><wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content>Hi ${id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment></item>`;
    writeFileSync(plain, `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>${item(1)}${item(2)}</channel></rss>`);
    const byPath = formatSummary(await runImport({ file: plain, dryRun: true }), { dryRun: true });
    expect(byPath).toContain('merged: 1 article ids came from more than one permalink (e.g. "/" from https://plain.example/?p=1 and https://plain.example/?p=2)');
    const byUrl = formatSummary(await runImport({ file: plain, dryRun: true, articleId: "url" }), { dryRun: true });
    expect(byUrl).not.toContain("merged");
    expect(byUrl).toContain("articles: 2");
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
