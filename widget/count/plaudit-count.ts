import en from "../locales/count/en.json";
import { defaultArticle, defaultLang, normaliseApi, scriptOrigin } from "../shared/context";
import { languageOf, loadMessages, Translator } from "../shared/i18n";
import type { PlauditLoadDetail } from "../shared/events";
import { STARS, starFill } from "../rating/stars";
import { loadCount, type ArticleCount } from "./batch";
import { countStyles } from "./plaudit-count.styles";

const ENGLISH = new Translator(en, "en");
let sheet: CSSStyleSheet | undefined;

/** Constructed stylesheets pass a strict CSP; browsers without them (Safari < 16.4) get a <style>. */
function adoptStyles(root: ShadowRoot): void {
  if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(countStyles);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(Object.assign(document.createElement("style"), { textContent: countStyles }));
  }
}

function part(tag: string, name: string, attributes: Record<string, string> = {}): HTMLElement {
  const element = document.createElement(tag);
  element.setAttribute("part", name);
  for (const [attribute, value] of Object.entries(attributes)) element.setAttribute(attribute, value);
  return element;
}

/**
 * An article's rating and comment count for index pages: read-only stars (an image with a text
 * alternative), the average, "(12 votes) · 3 comments". Every <plaudit-count> on a page shares
 * one request. No Lit: it is a handful of nodes, and count.js stays small.
 *
 * @fires plaudit-load - once the counts have arrived (bubbles, composed)
 * @csspart base, stars, star-shape, average, votes, separator, comments
 */
export class PlauditCount extends HTMLElement {
  static observedAttributes = ["article", "api", "lang", "href"];

  private readonly _stars = part("span", "stars", { class: "stars", role: "img" });
  private readonly _shapes = STARS.map(() => part("span", "star-shape", { class: "shape" }));
  private readonly _average = part("span", "average", { "aria-hidden": "true" });
  private readonly _votes = part("span", "votes");
  private readonly _separator = part("span", "separator", { "aria-hidden": "true" });
  private readonly _base = part("span", "base", { class: "base", "aria-busy": "true" });
  private _comments: HTMLElement = part("span", "comments");
  private _count: ArticleCount | null = null;
  private _t: Translator<typeof en> = ENGLISH;
  /** What the current load is for, so a late answer for an earlier article is ignored. */
  private _loading = "";

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    adoptStyles(root);
    this._separator.textContent = "·";
    this._stars.append(...this._shapes);
    this._base.append(this._stars, this._average, this._votes, this._separator, this._comments);
    root.append(this._base);
  }

  connectedCallback(): void {
    this._refresh();
  }

  attributeChangedCallback(name: string): void {
    if (!this.isConnected) return;
    if (name === "href") this._render();
    else this._refresh();
  }

  /** The article's counts once loaded: `{rating: {count, average, best}, comments: {count}}`. */
  get counts(): ArticleCount | null {
    return this._count;
  }

  private get _article(): string {
    return this.getAttribute("article") || defaultArticle();
  }

  private _refresh(): void {
    const api = normaliseApi(this.getAttribute("api"));
    const article = this._article;
    const tag = this.lang || defaultLang(this);
    const target = `${api} ${article} ${tag}`;
    if (target === this._loading) return;
    this._loading = target;
    void Promise.all([loadCount(api, article), loadMessages("count", languageOf(tag), scriptOrigin, en)]).then(
      ([count, messages]) => {
        if (target !== this._loading) return;
        this._count = count;
        this._t = new Translator(messages, tag);
        this._render();
        this.dispatchEvent(new CustomEvent<PlauditLoadDetail>("plaudit-load", { bubbles: true, composed: true, detail: { article, ...count } }));
      },
      // Counts are an index page's garnish: when they cannot load, the stars stay empty and
      // quiet, and the next page view tries again.
      () => {
        if (target === this._loading) this._loading = "";
        this._base.removeAttribute("aria-busy");
      },
    );
  }

  private _render(): void {
    const count = this._count;
    if (!count) return;
    const { messages } = this._t;
    const votes = count.rating.count;
    const params = { average: count.rating.average, best: count.rating.best, count: votes };
    this._base.removeAttribute("aria-busy");
    this._stars.setAttribute("aria-label", votes ? this._t.format(messages.stars, params) : messages.unrated);
    this._shapes.forEach((shape, index) => shape.style.setProperty("--fill", `${starFill(votes ? params.average : 0, index + 1)}%`));
    this._average.textContent = votes ? this._t.format("{average}", params) : "";
    this._average.hidden = !votes;
    this._votes.textContent = this._t.format(messages.votes, params, "count");

    const href = this.getAttribute("href");
    // A link when the host says where the article is; its comments are at #comments there.
    const comments = href ? part("a", "comments", { href: `${href.replace(/#.*$/, "")}#comments` }) : part("span", "comments");
    comments.textContent = this._t.format(messages.comments, { count: count.comments.count }, "count");
    this._comments.replaceWith(comments);
    this._comments = comments;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plaudit-count": PlauditCount;
  }
}
