import { scriptOrigin } from "../shared/context";

/**
 * On a rating with `feedback`, 1 or 2 stars ask what could be better. This listener comes with
 * count.js (which embed.js and rating.js fetch only for pages that use it) and the form is a
 * module of its own (feedback.js), fetched only then: neither weighs on the rating's budget.
 */
export function askAfterLowRatings(): void {
  addEventListener("plaudit-vote", (event) => {
    const { detail, target } = event as CustomEvent<{ article: string; rating: number | null }>;
    if (detail.rating! < 3 && (target as HTMLElement).hasAttribute("feedback")) {
      void import(`${scriptOrigin}/feedback.js`).then((module: typeof import("../feedback")) => module.askFeedback(target as HTMLElement, detail));
    }
  });
}
