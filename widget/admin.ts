/** admin.js: the moderation page served at /admin. */
import { PlauditAdmin } from "./admin/plaudit-admin";
import { PlauditQueue } from "./admin/queue-view";
import { PlauditRatingsView } from "./admin/ratings-view";
import { PlauditSettingsView } from "./admin/settings-view";
import { PlauditFeedbackView } from "./admin/feedback-view";
import { define } from "./shared/context";

define("plaudit-queue", PlauditQueue);
define("plaudit-ratings-view", PlauditRatingsView);
define("plaudit-settings-view", PlauditSettingsView);
define("plaudit-feedback-view", PlauditFeedbackView);
define("plaudit-admin", PlauditAdmin);

declare global {
  interface HTMLElementTagNameMap {
    "plaudit-admin": PlauditAdmin;
    "plaudit-queue": PlauditQueue;
    "plaudit-ratings-view": PlauditRatingsView;
    "plaudit-settings-view": PlauditSettingsView;
    "plaudit-feedback-view": PlauditFeedbackView;
  }
}
