/**
 * turnstile.js: Cloudflare Turnstile for the comment form, an ES module that embed.js imports
 * only on pages whose widget has a `turnstile-sitekey`, so no other page pays for it.
 */
interface Turnstile {
  render(container: HTMLElement, options: { sitekey: string; callback: (token: string) => void }): string;
}

const SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
let loading: Promise<Turnstile> | undefined;

function load(): Promise<Turnstile> {
  return (loading ??= new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement("script"), { src: SCRIPT, async: true });
    script.onload = () => resolve((window as unknown as { turnstile: Turnstile }).turnstile);
    script.onerror = reject;
    document.head.append(script);
  }));
}

/** Render the challenge into `slot` once; `onToken` receives each token it issues. */
export function renderTurnstile(slot: HTMLElement, sitekey: string, onToken: (token: string) => void): void {
  if (slot.dataset.rendered) return;
  slot.dataset.rendered = "";
  load()
    .then((turnstile) => turnstile.render(slot, { sitekey, callback: onToken }))
    .catch(() => {
      // Blocked or offline: posting then fails with a clear "complete the check" message.
      delete slot.dataset.rendered;
    });
}
