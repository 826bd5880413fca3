import type { RatingSummary } from "../shared/api";

/** What the keeper needs of a <plaudit-rating> (defined by embed.js or rating.js, maybe another copy). */
interface RatedElement extends Element {
  readonly rating: RatingSummary | null;
}

const snippets = new Map<RatedElement, HTMLScriptElement>();
let watching: MutationObserver | undefined;

/** schema.org JSON-LD for the element's rating; `<` escaped so the text can never close its script. */
export function snippetJson(type: string, name: string | null, { average, count, best }: Pick<RatingSummary, "average" | "count" | "best">): string {
  const data = {
    "@context": "https://schema.org",
    "@type": type.trim() || "CreativeWork",
    ...(name ? { name } : {}),
    aggregateRating: { "@type": "AggregateRating", ratingValue: average, ratingCount: count, bestRating: best, worstRating: 1 },
  };
  return JSON.stringify(data).replace(/</g, "\\u003c");
}

function drop(element: RatedElement): void {
  snippets.get(element)?.remove();
  snippets.delete(element);
}

/** Bring one element's snippet up to date: present while it is on the page, opted in and rated. */
function keep(element: RatedElement): void {
  const type = element.getAttribute("jsonld");
  const rating = element.rating;
  if (type === null || !element.isConnected || !rating?.count) return drop(element);
  let script = snippets.get(element);
  if (!script) {
    // In the host document, not the shadow root: search engines read the page's own markup.
    script = Object.assign(document.createElement("script"), { type: "application/ld+json" });
    script.setAttribute("data-plaudit-snippet", element.getAttribute("article") ?? "");
    document.head.append(script);
    snippets.set(element, script);
  }
  const text = snippetJson(type, element.getAttribute("jsonld-name"), rating);
  if (script.textContent !== text) script.textContent = text;
  watching ??= watchRemovals();
}

/** A snippet goes when its element leaves the page or stops opting in. */
function watchRemovals(): MutationObserver {
  const observer = new MutationObserver(() => {
    for (const element of snippets.keys()) keep(element);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["jsonld", "jsonld-name"] });
  return observer;
}

/**
 * JSON-LD rich snippets for `<plaudit-rating jsonld>`: written once the rating has loaded, kept
 * current after each vote. count.js may arrive after an element has loaded, so it also looks at
 * those already on the page.
 */
export function keepSnippets(): void {
  const update = (event: Event) => {
    if ((event.target as Element).localName === "plaudit-rating") keep(event.target as RatedElement);
  };
  document.addEventListener("plaudit-load", update);
  document.addEventListener("plaudit-vote", update);
  for (const element of document.querySelectorAll("plaudit-rating[jsonld]")) keep(element as unknown as RatedElement);
}
