/**
 * feedback.js: after a low rating, ask the reader "What could be better?". An ES module that the
 * rating widget imports only then (see rating/plaudit-rating.ts `_rate`), so nobody else pays for it.
 * The answer goes to the site's moderators, never to the page. Works under a strict CSP: its
 * styles are a constructed stylesheet and its text is only ever set as text.
 */
import en from "./locales/feedback/en.json";
import { defaultLang } from "./shared/context";
import { languageOf, loadMessages } from "./shared/i18n";
import { voterToken } from "./shared/reader";

const STYLES = `
  :host { display: block; margin-block: 0.5rem 1rem; font: var(--plaudit-font, inherit); color: var(--plaudit-text-color, inherit); }
  form { display: grid; gap: 0.5rem; max-width: 40rem; }
  textarea { font: inherit; color: inherit; background: transparent; border: 1px solid color-mix(in srgb, currentColor 30%, transparent); border-radius: 6px; padding: 0.5rem; }
  .hint { margin: 0; font-size: 0.875em; opacity: 0.8; }
  .buttons { display: flex; gap: 1rem; align-items: center; }
  button { font: inherit; min-height: 24px; cursor: pointer; }
  :focus-visible { outline: 2px solid var(--plaudit-focus-color, #2563eb); outline-offset: 2px; }
`;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

const asked = new WeakSet<HTMLElement>();

/**
 * Show the question under `rating` (once) after its vote (`detail`), and send the answer to the
 * element's API, by default the Worker this module (like the widget's script) came from.
 */
export async function askFeedback(rating: HTMLElement & { api?: string }, { article, rating: stars }: { article: string; rating: number | null }): Promise<void> {
  // Removing a rating (null) asks nothing; `feedback="1"` asks at 1 star only, "0" and "off"
  // never. One question per element and page view: a reader who changes 2 stars to 1 is not asked twice.
  const most = rating.getAttribute("feedback");
  if (!stars || most === "off" || stars > +(most || 2) || asked.has(rating)) return;
  asked.add(rating);
  const api = (rating.api || new URL(import.meta.url).origin).replace(/\/+$/, "");
  const t = await loadMessages("feedback", languageOf(rating.getAttribute("lang") || defaultLang(rating)), api, en);
  const host = document.createElement("plaudit-feedback");
  const root = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLES);
  root.adoptedStyleSheets = [sheet];

  const text = element("textarea", { id: "feedback", name: "body", rows: 3, maxLength: 1000 });
  text.setAttribute("aria-describedby", "hint");
  text.setAttribute("part", "textarea");
  const status = element("p", { className: "hint" });
  status.setAttribute("role", "status");
  const send = element("button", { type: "submit", textContent: t.send });
  const skip = element("button", { type: "button", textContent: t.skip });
  const form = element(
    "form",
    {},
    element("label", { htmlFor: "feedback", textContent: t.question }),
    text,
    element("p", { id: "hint", className: "hint", textContent: t.hint }),
    element("span", { className: "buttons" }, send, skip),
  );
  form.setAttribute("part", "feedback");
  skip.onclick = () => host.remove();
  form.onsubmit = async (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return host.remove();
    send.disabled = true;
    try {
      const response = await fetch(`${api}/api/v1/articles/${encodeURIComponent(article)}/feedback`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ voter: voterToken(), body }),
      });
      // The site takes no feedback (FEEDBACK_MAX_STARS): nothing the reader can do about it.
      if (response.status === 403) return host.remove();
      if (!response.ok) throw new Error(String(response.status));
      form.replaceWith(status);
      status.textContent = t.thanks;
    } catch {
      status.textContent = t.failed;
      form.append(status);
      send.disabled = false;
    }
  };
  root.append(form);
  rating.after(host);
}
