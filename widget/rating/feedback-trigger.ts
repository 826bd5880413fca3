import { scriptOrigin } from "../shared/context";

// A rating of 1 or 2 stars asks what could be better. The form is a module of its own
// (feedback.js), fetched only then: the rating stays within its weight budget.
addEventListener("plaudit-vote", (event) => {
  const { detail, target } = event as CustomEvent<{ article: string; rating: number | null }>;
  if (detail.rating! < 3) void import(`${scriptOrigin}/feedback.js`).then((module: typeof import("../feedback")) => module.askFeedback(target as HTMLElement, detail));
});
