import { scriptOrigin } from "../shared/context";

/** Render the challenge into `slot` once, with turnstile.js from the Worker, fetched on first use. */
export function renderTurnstile(slot: HTMLElement, sitekey: string, onToken: (token: string) => void): void {
  void import(`${scriptOrigin}/turnstile.js`).then((module: typeof import("../turnstile")) => module.renderTurnstile(slot, sitekey, onToken));
}
