import { html, LitElement, nothing } from "lit";
import { adminStyles } from "./admin.styles";
import { AdminApi, AdminError } from "./api";

const TOKEN_KEY = "plaudit:admin-token";

/**
 * The moderation page. The token lives in sessionStorage (gone when the tab closes; never a
 * cookie, so there is nothing for a cross-site request to ride on).
 */
export class PlauditAdmin extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    _api: { state: true },
    _view: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  declare private _api: AdminApi | null;
  declare private _view: "comments" | "ratings" | "feedback" | "settings";
  declare private _error: string;
  declare private _busy: boolean;

  constructor() {
    super();
    const saved = sessionStorage.getItem(TOKEN_KEY);
    this._api = saved ? new AdminApi(saved) : null;
    this._view = "comments";
    this._error = "";
    this._busy = false;
    this.addEventListener("plaudit-signed-out", () => this._signOut("Your token was not accepted any more. Please sign in again."));
  }

  private async _signIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const token = String(new FormData(event.target as HTMLFormElement).get("token") ?? "").trim();
    if (!token) {
      this._error = "Enter the admin token (ADMIN_TOKEN) to continue.";
      return;
    }
    this._busy = true;
    const api = new AdminApi(token);
    try {
      await api.counts();
      sessionStorage.setItem(TOKEN_KEY, token);
      this._api = api;
      this._error = "";
    } catch (error) {
      this._error =
        error instanceof AdminError && error.status === 401
          ? "That token is not right. Check ADMIN_TOKEN and try again."
          : error instanceof AdminError && error.status === 503
            ? "Moderation is switched off on this server: set ADMIN_TOKEN first."
            : error instanceof Error
              ? error.message
              : "Could not sign in.";
    } finally {
      this._busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(this._api ? "[role=tab][aria-selected=true]" : "#token")?.focus();
  }

  private _signOut(message = ""): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this._api = null;
    this._error = message;
  }

  private async _export(): Promise<void> {
    try {
      const blob = await this._api!.exportAll();
      const link = Object.assign(document.createElement("a"), {
        href: URL.createObjectURL(blob),
        download: `plaudit-export-${new Date().toISOString().slice(0, 10)}.ndjson`,
      });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      this._error = error instanceof Error ? error.message : "The export failed.";
    }
  }

  protected override render() {
    if (!this._api) {
      return html`<main>
        <header><h1>Plaudit moderation</h1></header>
        <form class="inline" @submit=${this._signIn} aria-describedby="token-help">
          <h2 class="wide">Sign in</h2>
          <label for="token">Admin token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required aria-invalid=${this._error ? "true" : "false"} aria-describedby="token-error" />
          <button class="primary" ?disabled=${this._busy}>Sign in</button>
        </form>
        <p id="token-help" class="legend">The ADMIN_TOKEN secret of this Worker. It stays in this tab only.</p>
        <p id="token-error" class="message error" role="alert">${this._error}</p>
      </main>`;
    }
    return html`<main>
      <header>
        <h1>Plaudit moderation</h1>
        <nav aria-label="Sections">
          <button aria-pressed=${this._view === "comments"} @click=${() => (this._view = "comments")}>Comments</button>
          <button aria-pressed=${this._view === "ratings"} @click=${() => (this._view = "ratings")}>Ratings</button>
          <button aria-pressed=${this._view === "feedback"} @click=${() => (this._view = "feedback")}>Feedback</button>
          <button aria-pressed=${this._view === "settings"} @click=${() => (this._view = "settings")}>Settings</button>
          <button @click=${this._export}>Export all data</button>
          <button @click=${() => this._signOut()}>Sign out</button>
        </nav>
      </header>
      ${this._error ? html`<p class="message error" role="alert">${this._error}</p>` : nothing}
      ${this._view === "comments"
        ? html`<plaudit-queue .api=${this._api}></plaudit-queue>`
        : this._view === "ratings"
          ? html`<plaudit-ratings-view .api=${this._api}></plaudit-ratings-view>`
          : this._view === "feedback"
            ? html`<plaudit-feedback-view .api=${this._api}></plaudit-feedback-view>`
            : html`<plaudit-settings-view .api=${this._api}></plaudit-settings-view>`}
    </main>`;
  }
}
