/**
 * Defaults shared by every Plaudit element: which article, which API and which language.
 * `scriptOrigin` is captured when embed.js first runs, since `document.currentScript` is only
 * set during that synchronous run.
 */
import { articleFromPath } from "./article-path";

const currentScript = document.currentScript as HTMLScriptElement | null;
export const scriptOrigin = currentScript?.src ? new URL(currentScript.src).origin : location.origin;

export function defaultArticle(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  if (canonical) {
    try {
      // `.href` is already resolved against the page.
      return articleFromPath(new URL(canonical).pathname);
    } catch {
      // An unparsable canonical link: fall back to this page's path.
    }
  }
  return articleFromPath(location.pathname);
}

export function defaultLang(element: Element): string {
  // An empty tag reads as English.
  return element.closest("[lang]")?.getAttribute("lang") || navigator.language;
}

/** Trailing slashes would double up with `/api/v1`. */
export function normaliseApi(api: string | null | undefined): string {
  return (api || scriptOrigin).replace(/\/+$/, "");
}

/** Custom elements survive this script being loaded twice on one page. */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
