// Attributes of a data-mount script tag that configure the widgets it inserts.
const FORWARDED = ["article", "api", "lang", "prompt", "legend", "turnstile-sitekey", "jsonld", "jsonld-name", "feedback"];

/**
 * With `data-mount` on the script tag, insert the given elements right after it, configured by
 * its data-* attributes. Marked, so loading the script a second time inserts nothing more.
 */
export function mountAfterScript(script: HTMLScriptElement | null, tags: string[]): void {
  if (!script?.hasAttribute("data-mount") || script.hasAttribute("data-plaudit-mounted")) return;
  script.setAttribute("data-plaudit-mounted", "");
  script.after(
    ...tags.map((tag) => {
      const element = document.createElement(tag);
      for (const name of FORWARDED) {
        const value = script.getAttribute(`data-${name}`);
        // Present counts, even empty: `data-jsonld` alone asks for the default type.
        if (value !== null) element.setAttribute(name, value);
      }
      return element;
    }),
  );
}
