import { html, LitElement, nothing, type PropertyValues } from "lit";
import { adminStyles } from "./admin.styles";
import { type AdminApi, type ListedFeedback, failureMessage } from "./api";

/** What readers who rated low said could be better: private, newest first, deletable. */
export class PlauditFeedbackView extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    api: { attribute: false },
    _items: { state: true },
    _cursor: { state: true },
    _message: { state: true },
    _selected: { state: true },
  };

  declare api: AdminApi;
  declare private _items: ListedFeedback[] | null;
  declare private _cursor: string | null;
  declare private _message: string;
  declare private _selected: Set<string>;

  constructor() {
    super();
    this._items = this._cursor = null;
    this._message = "";
    this._selected = new Set();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("api") && this.api) void this._load(null);
  }

  private async _load(cursor: string | null): Promise<void> {
    try {
      const page = await this.api.feedback(cursor);
      // Load more clicked twice: the page it brings is added once.
      if (cursor !== this._cursor) return;
      this._items = [...(cursor ? (this._items ?? []) : []), ...page.feedback];
      this._cursor = page.cursor;
    } catch (error) {
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    this._message = failureMessage(this, error);
  }

  private async _delete(entry: ListedFeedback): Promise<void> {
    if (!confirm("Delete this feedback for good?")) return;
    try {
      await this.api.deleteFeedback(entry.id);
      this._items = (this._items ?? []).filter((item) => item !== entry);
      this._message = "Feedback deleted.";
    } catch (error) {
      this._fail(error);
    }
  }

  private _toggle(id: string, on: boolean): void {
    const next = new Set(this._selected);
    if (on) next.add(id);
    else next.delete(id);
    this._selected = next;
  }

  /** Delete the selected answers, 100 to a request (the API's most). */
  private async _deleteSelected(): Promise<void> {
    const ids = (this._items ?? []).filter((entry) => this._selected.has(entry.id)).map((entry) => entry.id);
    if (!ids.length || !confirm(`Delete ${ids.length} ${ids.length === 1 ? "answer" : "answers"} for good?`)) return;
    let deleted = 0;
    try {
      for (let start = 0; start < ids.length; start += 100) {
        const batch = ids.slice(start, start + 100);
        await this.api.deleteFeedbacks(batch);
        deleted += batch.length;
        const gone = new Set(batch);
        this._items = (this._items ?? []).filter((entry) => !gone.has(entry.id));
        this._selected = new Set([...this._selected].filter((id) => !gone.has(id)));
      }
      this._message = `${deleted} ${deleted === 1 ? "answer" : "answers"} deleted.`;
    } catch (error) {
      this._fail(error);
    }
  }

  protected override render() {
    const items = this._items;
    const selected = (items ?? []).filter((entry) => this._selected.has(entry.id)).length;
    const all = Boolean(items?.length) && selected === items!.length;
    return html`<section aria-labelledby="feedback-heading">
      <h2 id="feedback-heading">Feedback</h2>
      <p class="legend">What readers who gave few stars said could be better. Never shown on the site.</p>
      <p class="message" role="status">${this._message}</p>
      ${items === null
        ? html`<p>Loading…</p>`
        : items.length
          ? html`<div class="toolbar" aria-label="Selected feedback">
                <label><input type="checkbox" .checked=${all} @change=${(event: Event) => (this._selected = new Set((event.target as HTMLInputElement).checked ? items.map((entry) => entry.id) : []))} /> Select all</label>
                <span>${selected} selected</span>
                <button class="danger" ?disabled=${!selected} @click=${this._deleteSelected}>Delete selected</button>
              </div>
              <ol class="queue" aria-label="Feedback">
              ${items.map(
                (entry) => html`<li class="item">
                  <input type="checkbox" aria-label="Select the ${entry.rating}-star feedback on ${entry.article}" .checked=${this._selected.has(entry.id)} @change=${(event: Event) => this._toggle(entry.id, (event.target as HTMLInputElement).checked)} />
                  <div>
                    <div class="meta">
                      <strong>${entry.rating} ${entry.rating === 1 ? "star" : "stars"}</strong>
                      <span>on ${entry.article}</span>
                      <time datetime=${entry.createdAt}>${new Date(entry.createdAt).toLocaleString()}</time>
                    </div>
                    <p class="body">${entry.body}</p>
                    <div class="actions"><button class="danger" @click=${() => this._delete(entry)}>Delete</button></div>
                  </div>
                </li>`,
              )}
            </ol>`
          : html`<p>No feedback yet.</p>`}
      ${this._cursor ? html`<button @click=${() => this._load(this._cursor)}>Load more</button>` : nothing}
    </section>`;
  }
}
