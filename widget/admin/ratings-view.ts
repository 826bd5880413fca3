import { html, LitElement, nothing, type PropertyValues } from "lit";
import { adminStyles } from "./admin.styles";
import { failureMessage, type AdminApi, type ListedRating, type RatingsSort, type RatingSummary } from "./api";

/** Rated articles by most votes or most recent; pick one (or look it up) to see its distribution and reset it. */
export class PlauditRatingsView extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    api: { attribute: false },
    _article: { state: true },
    _summary: { state: true },
    _message: { state: true },
    _sort: { state: true },
    _list: { state: true },
    _cursor: { state: true },
    _partial: { state: true },
  };

  declare api: AdminApi;
  declare private _article: string;
  declare private _summary: RatingSummary | null;
  declare private _message: string;
  declare private _sort: RatingsSort;
  declare private _list: ListedRating[] | null;
  declare private _cursor: string | null;
  /** Set when the server ordered only the first aggregates it scanned, not all of them. */
  declare private _partial: number | null;

  constructor() {
    super();
    this._article = this._message = "";
    this._summary = null;
    this._sort = "votes";
    this._list = this._cursor = this._partial = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("api") && this.api) void this._loadList(false);
  }

  /**
   * The latest list and look-up asked for: an older answer (a sort switched since, a Load more
   * clicked twice, an article looked up before another) is dropped, not shown over the newer one.
   */
  private _listAsked = 0;
  private _lookUpAsked = 0;

  private async _loadList(more: boolean): Promise<void> {
    const asked = ++this._listAsked;
    try {
      const page = await this.api.ratings(this._sort, more ? this._cursor : null);
      if (asked !== this._listAsked) return;
      this._list = more ? [...(this._list ?? []), ...page.ratings] : page.ratings;
      this._cursor = page.cursor;
      this._partial = page.scan.complete ? null : page.scan.limit;
    } catch (error) {
      if (asked === this._listAsked) this._message = failureMessage(this, error);
    }
  }

  private _sortBy(sort: RatingsSort): void {
    this._sort = sort;
    // The old order's cursor would page the new order from the wrong place.
    this._cursor = null;
    void this._loadList(false);
  }

  private async _lookUp(article: string): Promise<void> {
    const asked = ++this._lookUpAsked;
    this._message = "";
    try {
      const summary = await this.api.rating(article);
      if (asked !== this._lookUpAsked) return;
      this._summary = summary;
      this._article = article;
    } catch (error) {
      if (asked !== this._lookUpAsked) return;
      this._summary = null;
      this._message = failureMessage(this, error);
    }
  }

  private async _reset(): Promise<void> {
    // The article shown now: the moderator may look up another while the reset saves.
    const article = this._article;
    if (!confirm(`Reset the rating of ${article}? Every vote on it is deleted.`)) return;
    try {
      const lookedUp = this._lookUpAsked;
      await this.api.resetVotes(article);
      this._cursor = null;
      // Shown again only if the moderator has not looked up another article meanwhile.
      await Promise.all([lookedUp === this._lookUpAsked && this._lookUp(article), this._loadList(false)]);
      this._message = `The rating of ${article} was reset.`;
    } catch (error) {
      this._message = failureMessage(this, error);
    }
  }

  protected override render() {
    const summary = this._summary;
    return html`
      <form class="inline" role="search" aria-label="Look up a rating" @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        const article = String(new FormData(event.target as HTMLFormElement).get("article") ?? "").trim();
        if (article) void this._lookUp(article);
      }}>
        <label for="rating-article">Article</label>
        <input id="rating-article" name="article" required placeholder="/2024/05/my-post/" />
        <button class="primary">Look up</button>
      </form>
      <p class="message" role="status">${this._message}</p>
      ${this._renderList()}
      ${summary
        ? html`<section aria-labelledby="rating-heading">
            <h2 id="rating-heading">${this._article}</h2>
            <p>${summary.count} ${summary.count === 1 ? "vote" : "votes"}, average ${summary.average} of ${summary.best}</p>
            <table>
              <caption class="visually-hidden">Votes per star</caption>
              ${[5, 4, 3, 2, 1].map(
                (stars) => html`<tr>
                  <th scope="row">${stars} ${stars === 1 ? "star" : "stars"}</th>
                  <td><meter min="0" max=${Math.max(1, summary.count)} value=${summary.histogram[stars - 1] ?? 0} aria-label="${stars} stars"></meter></td>
                  <td>${summary.histogram[stars - 1] ?? 0}</td>
                </tr>`,
              )}
            </table>
            <p><button class="danger" ?disabled=${!summary.count} @click=${this._reset}>Reset rating</button></p>
          </section>`
        : nothing}
    `;
  }

  private _renderList() {
    const list = this._list;
    return html`<section aria-labelledby="rated-heading">
      <h2 id="rated-heading">Rated articles</h2>
      <div class="toolbar" role="group" aria-label="Order">
        <button aria-pressed=${this._sort === "votes"} @click=${() => this._sortBy("votes")}>Most votes</button>
        <button aria-pressed=${this._sort === "recent"} @click=${() => this._sortBy("recent")}>Most recent</button>
      </div>
      ${this._partial ? html`<p class="legend">Ordered among the first ${this._partial.toLocaleString()} rated articles only.</p>` : nothing}
      ${!list
        ? html`<p>Loading…</p>`
        : list.length
          ? html`<table class="rated">
              <thead><tr><th scope="col">Article</th><th scope="col">Votes</th><th scope="col">Average</th><th scope="col">Last change</th></tr></thead>
              <tbody>
                ${list.map(
                  (entry) => html`<tr>
                    <td><button class="link" @click=${() => this._lookUp(entry.article)}>${entry.article}</button></td>
                    <td>${entry.rating.count}</td>
                    <td>${entry.rating.average}</td>
                    <td><time datetime=${entry.updatedAt}>${new Date(entry.updatedAt).toLocaleString()}</time></td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p>No article has a rating yet.</p>`}
      ${this._cursor ? html`<button @click=${() => this._loadList(true)}>Load more</button>` : nothing}
    </section>`;
  }
}
