/**
 * embed.js: the whole front end (ratings and comments), as one classic script.
 *
 *   <script async src="https://WORKER/embed.js" data-mount></script>   inserts both widgets here
 *   <script async src="https://WORKER/embed.js"></script> + <plaudit-rating> / <plaudit-comments>
 */
import { PlauditComments } from "./comments/plaudit-comments";
import { PlauditRating } from "./rating/plaudit-rating";
import { define } from "./shared/context";
import { loadCountScriptIfUsed } from "./shared/count-script";
import { mountAfterScript } from "./shared/mount";

define("plaudit-rating", PlauditRating);
define("plaudit-comments", PlauditComments);
mountAfterScript(document.currentScript as HTMLScriptElement | null, ["plaudit-rating", "plaudit-comments"]);
loadCountScriptIfUsed();
