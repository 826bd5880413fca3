/**
 * rating.js: only the star rating, for sites that do not want comments.
 *
 *   <script async src="https://WORKER/rating.js" data-mount></script>
 */
import { PlauditRating } from "./rating/plaudit-rating";
import { define } from "./shared/context";
import { loadCountScriptIfUsed } from "./shared/count-script";
import { mountAfterScript } from "./shared/mount";

define("plaudit-rating", PlauditRating);
mountAfterScript(document.currentScript as HTMLScriptElement | null, ["plaudit-rating"]);
loadCountScriptIfUsed();
