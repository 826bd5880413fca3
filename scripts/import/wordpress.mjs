// WordPress's export (Tools → Export, "WXR"): each <item> is a post or page with its comments and
// its post meta, where the rating plugins keep their totals; a WooCommerce product's reviews keep
// their stars in comment meta.
import { articleFor, commentRecord } from "./fields.mjs";
import { htmlToText } from "./html-text.mjs";

/** Rating plugins that keep a count and a sum in post meta, in the order one is preferred. */
export const RATING_PLUGINS = [
  { name: "WP-PostRatings", count: "ratings_users", sum: "ratings_score" },
  { name: "kk Star Ratings", count: "_kksr_count_default", sum: "_kksr_ratings_default" },
  { name: "kk Star Ratings", count: "_kksr_casts", sum: "_kksr_ratings" },
  { name: "Rate My Post", count: "rmp_vote_count", sum: "rmp_rating_val_sum" },
];

/** Meta that keeps the totals of a known plugin, or what it works out from them (an average). */
const KNOWN_RATING_PREFIXES = ["ratings_", "_kksr_", "rmp_", "_wc_"];
/** Meta named like a rating: a plugin the importer does not read, listed in the summary rather than dropped unseen. */
const RATING_LIKE = /(^|[^a-z])(ratings?|stars?|votes?)($|[^a-z])/i;
const isUnknownRatingMeta = (key) => RATING_LIKE.test(key) && !KNOWN_RATING_PREFIXES.some((prefix) => key.startsWith(prefix));
/** WooCommerce's stars on a product review: a whole number from 1 to 5. */
const REVIEW_RATING = "rating";

const STATUS = { 1: "approved", 0: "pending", spam: "spam" };

/** Meta entries (post or comment) by key. */
const metaOf = (entries) => new Map(entries.map((entry) => [(entry["wp:meta_key"] ?? "").trim(), (entry["wp:meta_value"] ?? "").trim()]));

/** WordPress writes dates as "2019-04-02 10:00:00"; the GMT one is zero for some drafts. */
function commentDate(gmt, local) {
  for (const value of [gmt, local]) {
    const text = (value ?? "").trim();
    if (text && !text.startsWith("0000")) return Date.parse(`${text.replace(" ", "T")}Z`);
  }
  return NaN;
}

/**
 * A record, or why there is none (`refused` when the file is damaged rather than the record left
 * out on purpose); `note` says what was changed to fit Plaudit.
 * @typedef {({ record: Record<string, any>, note?: string } | { skip: string, refused?: boolean }) & { where: string, link?: string }} ImportItem
 */

/**
 * A rated review as that reviewer's vote on the product. Only approved reviews count, as in
 * WooCommerce's own average; the voter is the review, so importing again changes nothing.
 * @returns {Generator<ImportItem>}
 */
function* reviewVote(comment, id, status, article, at) {
  const meta = metaOf(comment.meta);
  for (const key of meta.keys()) if (key !== REVIEW_RATING && isUnknownRatingMeta(key)) yield { skip: `rating meta "${key}" not understood`, where: at };
  if (!meta.has(REVIEW_RATING)) return;
  const rating = meta.get(REVIEW_RATING);
  const where = `${at}, rating`;
  if (!/^[1-5]$/.test(rating)) yield { skip: `review rating not 1–5 stars ("${rating}")`, where };
  else if (status !== "approved") yield { skip: `rating of a review that is not approved (${status})`, where };
  else if (!article) yield { skip: "no permalink to take the article id from", where };
  else {
    const date = commentDate(comment["wp:comment_date_gmt"], comment["wp:comment_date"]);
    if (!Number.isFinite(date)) yield { skip: "no valid date", refused: true, where };
    else yield { record: { type: "vote", source: "wordpress", sourceId: id, article, rating: Number(rating), at: new Date(date).toISOString() }, where };
  }
}

/** @returns {Generator<ImportItem>} */
function* commentsOf(item, article, where) {
  for (const comment of item.comments) {
    const id = (comment["wp:comment_id"] ?? "").trim();
    const at = `${where}, comment ${id || "without an id"}`;
    const type = (comment["wp:comment_type"] ?? "").trim();
    if (type === "pingback" || type === "trackback") {
      yield { skip: type, where: at };
      continue;
    }
    // WordPress takes a comment without the element as approved.
    const approved = (comment["wp:comment_approved"] ?? "1").trim();
    if (approved === "trash" || approved === "post-trashed") {
      yield { skip: "trashed", where: at };
      continue;
    }
    const status = STATUS[approved];
    if (!status) {
      yield { skip: `unknown status "${approved}"`, refused: true, where: at };
      continue;
    }
    if (!id) {
      yield { skip: "no comment id", refused: true, where: at };
      continue;
    }
    const parent = (comment["wp:comment_parent"] ?? "").trim();
    const result = commentRecord({
      source: "wordpress",
      sourceId: id,
      sourceParentId: parent && parent !== "0" ? parent : null,
      article,
      author: htmlToText(comment["wp:comment_author"] ?? ""),
      email: comment["wp:comment_author_email"],
      website: comment["wp:comment_author_url"],
      body: htmlToText(comment["wp:comment_content"] ?? "", { newlines: "break" }),
      createdAt: commentDate(comment["wp:comment_date_gmt"], comment["wp:comment_date"]),
      status,
    });
    yield { ...result, where: at };
    yield* reviewVote(comment, id, status, article, at);
  }
}

/** @returns {Generator<ImportItem>} */
function* ratingsOf(item, article, where) {
  const meta = metaOf(item.meta);
  for (const key of meta.keys()) {
    if (isUnknownRatingMeta(key)) yield { skip: `rating meta "${key}" not understood`, where };
  }
  const found = RATING_PLUGINS.flatMap((plugin) => {
    const count = Number(meta.get(plugin.count));
    return meta.has(plugin.count) && count > 0 ? [{ ...plugin, count, sum: Number(meta.get(plugin.sum)), where: `${where}, ${plugin.name} ratings` }] : [];
  });
  // Plugins may be set to 10 stars or store an average: only totals of 1–5 star votes fit.
  const fits = ({ count, sum }) => Number.isInteger(count) && Number.isInteger(sum) && sum >= count && sum <= 5 * count;
  // A post rated with two plugins (one migrated into the other, usually) keeps the larger tally.
  const kept = found.filter(fits).sort((x, y) => y.count - x.count)[0];
  for (const plugin of found) {
    if (!fits(plugin)) yield { skip: "ratings not on a 1–5 star scale", where: plugin.where };
    else if (plugin !== kept) yield { skip: `ratings of a second plugin on the same post (kept ${kept.name}'s larger tally)`, where: plugin.where };
    else if (!article) yield { skip: "no permalink to take the article id from", where: plugin.where };
    else yield { record: { type: "earlier", source: "wordpress", article, count: plugin.count, sum: plugin.sum }, where: plugin.where };
  }
}

/** The records of one <item>. */
function* itemRecords(item, mode) {
  const title = htmlToText(item.title ?? "");
  const where = `post "${title || "(untitled)"}"${item["wp:post_id"] ? ` (id ${item["wp:post_id"].trim()})` : ""}`;
  // Plain permalinks (/?p=123) tell posts apart by their query string alone.
  const article = articleFor(item.link, mode, { keepQuery: true });
  const link = (item.link ?? "").trim();
  for (const entry of [...commentsOf(item, article, where), ...ratingsOf(item, article, where)]) yield { ...entry, link };
}

/**
 * Every comment and rating total of a WXR file as import records (or the reason one is skipped),
 * an <item> at a time.
 * @param {AsyncIterable<import("./xml-events.mjs").XmlEvent>} events
 * @param {{ articleId?: "path" | "url" }} options
 * @returns {AsyncGenerator<ImportItem>}
 */
export async function* readWordPress(events, { articleId = "path" } = {}) {
  const stack = [];
  let item = null;
  let comment = null;
  let meta = null;
  let text = "";
  for await (const event of events) {
    if (event.type === "text") {
      text += event.text;
      continue;
    }
    if (event.type === "open") {
      stack.push(event.name);
      text = "";
      if (event.name === "item") item = { comments: [], meta: [] };
      else if (item && event.name === "wp:comment") comment = { meta: [] };
      else if (item && !comment && event.name === "wp:postmeta") meta = {};
      else if (comment && event.name === "wp:commentmeta") meta = {};
      continue;
    }
    stack.pop();
    const parent = stack.at(-1);
    if (event.name === "item" && item) {
      yield* itemRecords(item, articleId);
      item = null;
    } else if (event.name === "wp:comment" && comment) {
      item?.comments.push(comment);
      comment = null;
    } else if (event.name === "wp:postmeta" && meta) {
      item?.meta.push(meta);
      meta = null;
    } else if (event.name === "wp:commentmeta" && meta && comment) {
      comment.meta.push(meta);
      meta = null;
    } else if (meta && (parent === "wp:postmeta" || parent === "wp:commentmeta")) meta[event.name] = text;
    else if (comment && parent === "wp:comment") comment[event.name] = text;
    else if (item && parent === "item") item[event.name] = text;
    text = "";
  }
}
