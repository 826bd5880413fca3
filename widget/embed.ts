/**
 * embed.js: the whole front end, as one classic script.
 *
 *   <script async src="https://WORKER/embed.js"></script>  +  <plaudit-rating></plaudit-rating>
 *   <script async src="https://WORKER/embed.js" data-mount></script>   (inserts the widget itself)
 */
import { define } from "./shared/context";
import { PlauditRating } from "./rating/plaudit-rating";

define("plaudit-rating", PlauditRating);

// Attributes of a data-mount script tag that configure the widgets it inserts.
const FORWARDED = ["article", "api", "lang", "prompt", "legend"] as const;

function mount(script: HTMLScriptElement): void {
  // Marked so that loading the script a second time does not insert a second widget.
  if (!script.hasAttribute("data-mount") || script.dataset.plauditMounted) return;
  script.dataset.plauditMounted = "";
  const rating = document.createElement("plaudit-rating");
  for (const name of FORWARDED) {
    const value = script.dataset[name];
    if (value) rating.setAttribute(name, value);
  }
  script.after(rating);
}

const current = document.currentScript as HTMLScriptElement | null;
if (current) mount(current);
