// Comment bodies from WordPress and Disqus are HTML; Plaudit's are plain text that the widget
// never interprets as markup. An HTML tokenizer (not regular expressions) reads the markup, so
// entities, CDATA-like oddities and broken tags all come out as the words a reader saw.
import { Parser } from "htmlparser2";

const BLOCKS = new Set(["p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "section", "article", "figure", "hr", "dl", "dt", "dd"]);
/** Their content is not text a reader saw. */
const HIDDEN = new Set(["script", "style", "template", "noscript", "iframe", "object"]);
const PARAGRAPH = "\u0000P";
const LINE = "\u0000L";

const isWebAddress = (href) => /^https?:\/\/[^\s]+$/i.test(href);
const bare = (address) => address.replace(/^https?:\/\//i, "").replace(/^www\./i, "");

function decoded(address) {
  try {
    return decodeURI(address);
  } catch {
    return address;
  }
}

/**
 * The words of a link are its address, whole or shortened the way WordPress shows a long one
 * ("blog.example/2009/1..." or "…", sometimes cut in the middle): then the address is shown once.
 */
function wordsAreAddress(words, href) {
  return [href, decoded(href)].some((candidate) => {
    const address = bare(candidate);
    if (bare(words) === address) return true;
    const parts = words.split(/\.{3}|…/);
    if (parts.length !== 2) return false;
    const head = bare(parts[0]);
    const tail = parts[1];
    return head.length > 0 && address.startsWith(head) && address.endsWith(tail) && head.length + tail.length < address.length;
  });
}

/**
 * Plain text of an HTML comment body: paragraphs become blank lines, <br> a line break, a link
 * keeps its address after its words ("words (https://…)") unless the words are the address
 * (or a shortened form of it, shown as the whole address), entities are decoded and every tag is dropped.
 * @param {string} html
 * @param {{ newlines?: "break" | "space" }} options  WordPress stores bare newlines that its
 *   themes show as line breaks ("break"); in Disqus's HTML they are just spaces ("space").
 */
export function htmlToText(html, { newlines = "space" } = {}) {
  let out = "";
  let hidden = 0;
  let pre = 0;
  /** @type {{ href: string, start: number }[]} */
  const links = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (HIDDEN.has(name)) hidden += 1;
        else if (name === "br") out += LINE;
        else if (BLOCKS.has(name)) out += PARAGRAPH;
        if (name === "pre") pre += 1;
        if (name === "a") links.push({ href: (attributes.href ?? "").trim(), start: out.length });
        if (name === "img" && attributes.alt) out += attributes.alt;
      },
      ontext(text) {
        if (hidden > 0) return;
        if (pre > 0 || newlines === "break") out += text.replace(/\r\n?/g, "\n").replace(/\n/g, pre > 0 ? LINE : "\n");
        else out += text.replace(/\s+/g, " ");
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCKS.has(name)) out += PARAGRAPH;
        if (name === "pre") pre = Math.max(0, pre - 1);
        if (name === "a") {
          const link = links.pop();
          if (!link) return;
          const words = out.slice(link.start).replace(/\u0000[PL]/g, " ").trim();
          if (!isWebAddress(link.href)) return;
          if (!words) out += link.href;
          else if (wordsAreAddress(words, link.href)) out = `${out.slice(0, link.start)}${words === link.href ? words : link.href}`;
          else out += ` (${link.href})`;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return tidy(out, newlines);
}

function tidy(text, newlines) {
  let result = text;
  if (newlines === "break") {
    // wpautop's rule: a blank line is a paragraph, a single newline a line break.
    result = result.replace(/\n[ \t]*\n\s*/g, PARAGRAPH).replace(/\n/g, LINE);
  }
  return result
    .replace(/[ \t\u00a0]*\u0000L[ \t\u00a0]*/g, "\n")
    .replace(/\s*(\u0000P\s*)+/g, "\n\n")
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
