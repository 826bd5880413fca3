import { html, LitElement, nothing, type PropertyValues } from "lit";
import { adminStyles } from "./admin.styles";
import { type AdminApi, type BlockList, failureMessage } from "./api";

const LISTS = [
  { name: "words", label: "Words and phrases", help: "One per line. Matched as whole words in the name, the text and the website, in any letter case." },
  { name: "emails", label: "Email addresses", help: "One per line. @example.com blocks every address there and at its subdomains. Nobody checks that an address belongs to whoever typed it." },
  { name: "domains", label: "Link domains", help: "One per line, e.g. spam.example (its subdomains too), in links in the text or as the website." },
] as const;

const lines = (text: string) => text.split("\n").map((line) => line.trim()).filter(Boolean);

/**
 * Settings: the block list. A comment that matches goes straight to spam, and its poster is told
 * nothing more than "awaiting moderation". Saved changes reach every location within a minute.
 */
export class PlauditSettingsView extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    api: { attribute: false },
    _list: { state: true },
    _message: { state: true },
    _busy: { state: true },
  };

  declare api: AdminApi;
  declare private _list: BlockList | null;
  declare private _message: string;
  declare private _busy: boolean;

  constructor() {
    super();
    this._list = null;
    this._message = "";
    this._busy = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("api") && this.api) void this._load();
  }

  private async _load(): Promise<void> {
    try {
      this._list = (await this.api.settings()).blockList;
    } catch (error) {
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    this._message = failureMessage(this, error);
  }

  private async _save(list: BlockList): Promise<void> {
    this._busy = true;
    try {
      this._list = (await this.api.saveSettings({ blockList: list })).blockList;
      this._message = "Block list saved. It applies to new comments everywhere within a minute.";
    } catch (error) {
      this._fail(error);
    } finally {
      this._busy = false;
    }
  }

  private _submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => lines(String(data.get(name) ?? ""));
    void this._save({ words: text("words"), emails: text("emails"), domains: text("domains"), addresses: this._list?.addresses ?? [] });
  }

  protected override render() {
    const list = this._list;
    return html`<section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Block list</h2>
      <p class="legend">A comment that matches goes straight to spam; its poster is not told. Changes apply to new comments within a minute.</p>
      <p class="message" role="status">${this._message}</p>
      ${list
        ? html`<form class="settings" @submit=${this._submit}>
            ${LISTS.map(
              ({ name, label, help }) => html`<label for="block-${name}">${label}</label>
                <textarea id="block-${name}" name=${name} aria-describedby="help-${name}" .value=${list[name].join("\n")}></textarea>
                <p class="legend" id="help-${name}">${help}</p>`,
            )}
            <h3>Blocked authors</h3>
            ${list.addresses.length
              ? html`<ul class="blocked">
                  ${list.addresses.map(
                    (entry) => html`<li>
                      <span>${entry.label}</span>
                      <button type="button" ?disabled=${this._busy} @click=${() => this._save({ ...list, addresses: list.addresses.filter((other) => other !== entry) })}>Unblock</button>
                    </li>`,
                  )}
                </ul>`
              : html`<p>None yet: use "Block this author" on a comment.</p>`}
            <div class="actions"><button class="primary" ?disabled=${this._busy}>Save block list</button></div>
          </form>`
        : this._message
          ? nothing
          : html`<p>Loading…</p>`}
    </section>`;
  }
}
