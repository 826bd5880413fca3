import { html, LitElement, nothing } from "lit";
import { adminStyles } from "./admin.styles";
import { AdminError, type AdminApi, type RatingSummary } from "./api";

/** Look up an article's rating, see its distribution, and reset it after confirming. */
export class PlauditRatingsView extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    api: { attribute: false },
    _article: { state: true },
    _summary: { state: true },
    _message: { state: true },
  };

  declare api: AdminApi;
  declare private _article: string;
  declare private _summary: RatingSummary | null;
  declare private _message: string;

  constructor() {
    super();
    this._article = this._message = "";
    this._summary = null;
  }

  private async _lookUp(article: string): Promise<void> {
    this._message = "";
    try {
      this._summary = await this.api.rating(article);
      this._article = article;
    } catch (error) {
      this._summary = null;
      this._message = error instanceof AdminError ? error.message : "Could not load that rating.";
    }
  }

  private async _reset(): Promise<void> {
    if (!confirm(`Reset the rating of ${this._article}? Every vote on it is deleted.`)) return;
    try {
      await this.api.resetVotes(this._article);
      this._message = `The rating of ${this._article} was reset.`;
      await this._lookUp(this._article);
    } catch (error) {
      this._message = error instanceof AdminError ? error.message : "Could not reset the rating.";
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
}
