/**
 * details.js: the rating's per-star details, a table opened by its "Rating details" button. An ES
 * module that the rating imports only then, so rating.js and embed.js do not carry it. It fills
 * the (empty) table the rating renders, with plain DOM: each bundle has its own copy of Lit, so
 * this module cannot render into the rating's templates. Works under a strict CSP: its styles are
 * a constructed stylesheet adopted by the rating's shadow root, bar widths are set through the
 * CSSOM and its text is only ever set as text.
 */
import en from "./locales/details/en.json";
import type { RatingSummary } from "./shared/api";
import { languageOf, loadMessages, type Translator } from "./shared/i18n";

const STYLES = `
  .details { flex-basis: 100%; margin: 0; }
  th { font-weight: inherit; text-align: start; }
  /* Named for assistive technology; the Details button above already says it on screen. */
  caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .bar { display: block; width: 8rem; height: 0.5rem; background: linear-gradient(to var(--_to), var(--_star) var(--fill), var(--_empty) 0); }
  @media (forced-colors: active) {
    .bar { forced-color-adjust: none; --_star: Highlight; --_empty: GrayText; }
  }
`;

let sheet: CSSStyleSheet | undefined;

function adoptStyles(root: Node): void {
  if (!(root instanceof ShadowRoot)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

function cell(tag: "th" | "td", ...children: (Node | string)[]): HTMLTableCellElement {
  const node = document.createElement(tag);
  node.append(...children);
  return node;
}

function row(...cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const node = document.createElement("tr");
  node.append(...cells);
  return node;
}

/** What each table shows or is about to show: a vote or a language pack may arrive meanwhile. */
const shown = new WeakMap<HTMLTableElement, { summary: RatingSummary; t: Translator<Record<string, string>> }>();

/**
 * Fill the rating's `table` with one row per star (its count and a bar scaled to the most voted
 * star) and, for an article with imported ratings, how many earlier votes have no breakdown.
 * `t` is the rating's own translator, so the rows read exactly as its stars do.
 */
export async function showDetails(table: HTMLTableElement, summary: RatingSummary, t: Translator<{ star: string; details: string }>): Promise<void> {
  const current = shown.get(table);
  if (current?.summary === summary && current.t === t) return;
  const request = { summary, t };
  shown.set(table, request);
  adoptStyles(table.getRootNode());
  const { earlier, histogram } = summary;
  const copy = earlier ? await loadMessages("details", languageOf(t.locale), new URL(import.meta.url).origin, en) : en;
  if (shown.get(table) !== request) return;

  const caption = document.createElement("caption");
  caption.textContent = t.messages.details;
  const body = document.createElement("tbody");
  const most = Math.max(1, ...histogram);
  for (let stars = 5; stars > 0; stars--) {
    const count = histogram[stars - 1] ?? 0;
    const bar = document.createElement("span");
    bar.setAttribute("part", "bar");
    bar.className = "bar";
    bar.style.setProperty("--fill", `${Math.round((count / most) * 100)}%`);
    body.append(row(Object.assign(cell("th", t.format(t.messages.star, { n: stars }, "n")), { scope: "row" }), cell("td", bar), cell("td", t.format("{n}", { n: count }))));
  }
  table.replaceChildren(caption, body);
  if (earlier?.count) {
    const foot = document.createElement("tfoot");
    const note = cell("td", t.format(copy.earlier, { count: earlier.count }, "count"));
    note.colSpan = 3;
    note.setAttribute("part", "earlier");
    foot.append(row(note));
    table.append(foot);
  }
}
