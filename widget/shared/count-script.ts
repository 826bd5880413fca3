import { scriptOrigin } from "./context";

/**
 * count.js (<plaudit-count>, the JSON-LD snippets of `jsonld` ratings), fetched from where this
 * script came from, only by pages that use either: embed.js and rating.js have no room for them.
 * Looked for once the page is parsed; count.js installs only once however often it loads.
 */
export function loadCountScriptIfUsed(): void {
  const check = () => document.querySelector("[jsonld],plaudit-count") && document.head.append(Object.assign(document.createElement("script"), { src: `${scriptOrigin}/count.js` }));
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", check);
  else check();
}
