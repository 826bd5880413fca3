// What an import found, as it goes, and the summary the command prints at the end.

const plurals = new Intl.PluralRules("en-US");

/** "1 page", "1,200 pages". */
export function counted(n, one, other = `${one}s`) {
  return `${n.toLocaleString("en-US")} ${plurals.select(n) === "one" ? one : other}`;
}

const number = (n) => n.toLocaleString("en-US");

/** @param {string} format @param {"path" | "url"} [articleId] */
export function emptySummary(format, articleId = "path") {
  return {
    format,
    articleId,
    articles: new Set(),
    comments: { approved: 0, pending: 0, spam: 0, deleted: 0 },
    ratings: { articles: 0, votes: 0 },
    votes: 0,
    /** votes by their stars, 1 to 5 */
    stars: [0, 0, 0, 0, 0],
    /** reason → how many, and where the first few were: left out on purpose */
    skipped: new Map(),
    /** reason → how many, and where: the file is damaged or holds what the importer cannot read */
    refused: new Map(),
    /** what was changed to fit Plaudit → how many, and where */
    changed: new Map(),
    /** records the Worker refused, with its reason */
    rejected: [],
    /** article id → the first permalink that gave it, and another one if two did */
    links: new Map(),
    written: { comments: 0, votes: 0, earlier: 0, feedback: 0 },
    existing: 0,
    batches: 0,
    sent: 0,
  };
}

/** Count `reason` in one of the summary's lists, keeping the first few places as examples. */
export function note(list, reason, where) {
  const entry = list.get(reason) ?? { count: 0, examples: [] };
  entry.count += 1;
  if (entry.examples.length < 3) entry.examples.push(where);
  list.set(reason, entry);
}

/** Different permalinks that became one article id: their comments and ratings are merged. */
export function noteLink(summary, article, link) {
  const seen = summary.links.get(article);
  if (!seen) summary.links.set(article, { first: link });
  else if (!seen.other && seen.first !== link) seen.other = link;
}

export function tally(summary, record) {
  if (record.article) summary.articles.add(record.article);
  if (record.type === "comment") summary.comments[record.status] = (summary.comments[record.status] ?? 0) + 1;
  else if (record.type === "earlier") {
    summary.ratings.articles += 1;
    summary.ratings.votes += record.count;
  } else if (record.type === "vote") {
    summary.votes += 1;
    if (record.rating >= 1 && record.rating <= 5) summary.stars[record.rating - 1] += 1;
  }
}

const total = (list) => [...list.values()].reduce((sum, entry) => sum + entry.count, 0);

/** Records the file held that did not go in, or that the Worker refused: the command then exits with 1. */
export function refusedCount(summary) {
  return total(summary.refused) + summary.rejected.length;
}

/** What the Worker has written, for the summary or an import that stopped. */
export function writtenSoFar(summary) {
  const { written } = summary;
  return `${counted(written.comments, "comment")}, ${counted(written.votes, "vote")}, ${counted(written.earlier, "earlier-vote total")}, ${counted(written.feedback, "feedback", "feedback")}; already there: ${number(summary.existing)}`;
}

function listed(lines, heading, list) {
  lines.push(`  ${heading}: ${number(total(list))}`);
  for (const [reason, entry] of [...list].sort((x, y) => y[1].count - x[1].count)) {
    lines.push(`    ${reason}: ${number(entry.count)} (e.g. ${entry.examples.join("; ")})`);
  }
}

/** Article ids that kept their permalink's query string (WordPress's plain /?p=123 permalinks). */
function queryWarning(summary) {
  if (summary.articleId !== "path") return [];
  const kept = [...summary.links].filter(([article]) => article.includes("?"));
  if (!kept.length) return [];
  const [article, { first }] = kept[0];
  return [
    `  plain permalinks: ${counted(kept.length, "article id includes", "article ids include")} the permalink's query string (e.g. "${article}" from ${first}), ` +
      `as the path alone ("/") would make every such post one article. The widget takes only a page's path, so give it the id on those pages (article="${article}"), or import with --article-id url and give each widget its URL`,
  ];
}

/** The summary as the command prints it. */
export function formatSummary(summary, { dryRun = false } = {}) {
  const { comments } = summary;
  const commentTotal = Object.values(comments).reduce((sum, n) => sum + n, 0);
  const byStatus = Object.entries(comments).filter(([, n]) => n > 0).map(([status, n]) => `${status} ${number(n)}`).join(", ");
  const lines = [
    `${dryRun ? "Dry run (nothing written)" : "Imported"} from ${summary.format}:`,
    `  articles: ${number(summary.articles.size)}`,
    `  comments: ${number(commentTotal)}${byStatus ? ` (${byStatus})` : ""}`,
    `  ratings: ${counted(summary.ratings.articles, "article")} with ${counted(summary.ratings.votes, "earlier vote")}`,
  ];
  if (summary.votes) {
    const byStars = summary.stars.map((n, index) => [index + 1, n]).filter(([, n]) => n > 0).reverse().map(([stars, n]) => `${counted(stars, "star")}: ${number(n)}`);
    lines.push(`  votes: ${number(summary.votes)}${byStars.length ? ` (${byStars.join(", ")})` : ""}`);
  }
  const merged = [...summary.links].filter(([, seen]) => seen.other);
  if (merged.length) {
    const [article, { first, other }] = merged[0];
    lines.push(
      `  merged: ${counted(merged.length, "article id")} came from more than one permalink (e.g. "${article}" from ${first} and ${other}); ` +
        "if those are different pages, import with --article-id url and give each page's widget its URL as article",
    );
  }
  lines.push(...queryWarning(summary));
  if (summary.changed.size) listed(lines, "changed to fit", summary.changed);
  listed(lines, "skipped", summary.skipped);
  if (summary.refused.size) listed(lines, "refused (the file is damaged, or holds what this command cannot read)", summary.refused);
  if (!dryRun) {
    lines.push(`  written now: ${writtenSoFar(summary)}`);
    if (summary.rejected.length) {
      lines.push(`  refused by the Worker: ${number(summary.rejected.length)}`);
      for (const { where, message } of summary.rejected.slice(0, 20)) lines.push(`    ${where}: ${message}`);
      if (summary.rejected.length > 20) lines.push(`    … and ${number(summary.rejected.length - 20)} more`);
    }
    lines.push("Comments show already; ratings once the minute cron has recounted them (a minute or two).");
  }
  const refused = refusedCount(summary);
  if (refused) lines.push(`Not everything ${dryRun ? "would go" : "went"} in: ${counted(refused, "record was", "records were")} refused (listed above).`);
  return lines.join("\n");
}
