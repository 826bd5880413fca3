// Disqus's XML export: <thread> elements (an article each, by its link) and then <post>
// elements that point at their thread and parent by Disqus id.
import { articleFor, commentRecord } from "./fields.mjs";
import { htmlToText } from "./html-text.mjs";

const DSQ_ID = "dsq:id";
/** A post's children that point elsewhere by id (kept from their attribute) or hold others. */
const REFERENCES = new Set(["thread", "parent", "author"]);
const isTrue = (value) => (value ?? "").trim() === "true";

function postItem(post, threads, mode) {
  const where = `post ${post.key || "without an id"}`;
  if (!post.key) return { skip: "no Disqus id", refused: true, where };
  if (isTrue(post.isDeleted)) return { skip: "deleted", where };
  const thread = threads.get(post.thread);
  if (!thread) return { skip: "its thread is not in the file", refused: true, where };
  const result = commentRecord({
    source: "disqus",
    sourceId: post.key,
    sourceParentId: post.parent || null,
    article: articleFor(thread.link, mode),
    author: htmlToText(post.name || post.username || ""),
    email: post.email,
    website: null,
    body: htmlToText(post.message ?? ""),
    createdAt: Date.parse((post.createdAt ?? "").trim()),
    status: isTrue(post.isSpam) ? "spam" : "approved",
  });
  return { ...result, where: `${where} on "${thread.title || thread.link}"`, link: thread.link };
}

/**
 * Every post of a Disqus export as import records (or the reason one is skipped). Threads are
 * kept by id (a few bytes each); a post whose thread comes later in the file waits for it.
 * @param {AsyncIterable<import("./xml-events.mjs").XmlEvent>} events
 * @param {{ articleId?: "path" | "url" }} options
 */
export async function* readDisqus(events, { articleId = "path" } = {}) {
  const threads = new Map();
  const waiting = [];
  const stack = [];
  let thread = null;
  let post = null;
  let text = "";
  for await (const event of events) {
    if (event.type === "text") {
      text += event.text;
      continue;
    }
    if (event.type === "open") {
      const parent = stack.at(-1);
      stack.push(event.name);
      text = "";
      const id = event.attributes[DSQ_ID];
      if (event.name === "thread" && parent === "disqus") thread = { key: id, link: "", title: "" };
      else if (event.name === "post" && parent === "disqus") post = { key: id };
      else if (post && event.name === "thread") post.thread = id;
      else if (post && event.name === "parent") post.parent = id;
      continue;
    }
    stack.pop();
    const parent = stack.at(-1);
    if (event.name === "thread" && parent === "disqus" && thread) {
      threads.set(thread.key, thread);
      thread = null;
    } else if (event.name === "post" && parent === "disqus" && post) {
      if (threads.has(post.thread) || isTrue(post.isDeleted)) yield postItem(post, threads, articleId);
      else waiting.push(post);
      post = null;
    } else if (thread && parent === "thread") thread[event.name] = text.trim();
    else if (post && (parent === "post" || parent === "author") && !REFERENCES.has(event.name)) post[event.name] = text;
    text = "";
  }
  for (const late of waiting) yield postItem(late, threads, articleId);
}
