/**
 * count.js: <plaudit-count> for index pages and the JSON-LD snippets of <plaudit-rating jsonld>.
 * embed.js and rating.js fetch it only on pages that use one of them; an index page may also load
 * it alone:
 *
 *   <script async src="https://WORKER/count.js"></script>
 *   <plaudit-count article="/2024/05/my-post/" href="/2024/05/my-post/"></plaudit-count>
 */
import { PlauditCount } from "./count/plaudit-count";
import { keepSnippets } from "./count/snippet";
import { define } from "./shared/context";

// Loaded twice (by the host and on demand), it installs once.
if (!customElements.get("plaudit-count")) {
  keepSnippets();
  define("plaudit-count", PlauditCount);
}
