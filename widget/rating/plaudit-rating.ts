import { html, nothing } from "lit";
import { ApiFailure, loadArticle, sendVote, type RatingSummary } from "../shared/api";
import { Translator } from "../shared/i18n";
import { PlauditElement } from "../shared/element";
import en from "../locales/rating/en.json";
import { ownRating, rememberRating, voterToken } from "../shared/reader";
import { ratingStyles } from "./plaudit-rating.styles";
import { STARS, starFill, starForKey } from "./stars";
import "./feedback-trigger";

export interface PlauditVoteDetail {
  article: string;
  /** The reader's new rating, or null when they removed it. */
  rating: number | null;
}

/**
 * Click-to-rate stars showing the current average, as an accessible radio group.
 *
 * @fires plaudit-vote - after the reader's rating is saved or removed (bubbles, composed)
 * @csspart base, prompt, stars, star, star-shape, legend, actions, yours, button, remove,
 *   details-toggle, details, bar, status
 */
const ENGLISH = new Translator(en, "en");

export class PlauditRating extends PlauditElement<typeof en> {
  static override styles = ratingStyles;
  static override properties = {
    prompt: {},
    legend: {},
    _summary: { state: true },
    _yours: { state: true },
    _preview: { state: true },
    _busy: { state: true },
    _status: { state: true },
    _open: { state: true },
  };

  /** Template for the prompt line (`{count}`, `{average}`, `{best}`). */
  declare prompt: string;
  /** Template for the legend, e.g. "(Votes: {count} Average: {average})". */
  declare legend: string;
  declare private _summary: RatingSummary | null;
  declare private _yours: number | null;
  /** The star under the pointer or keyboard focus, 0 for none. */
  declare private _preview: number;
  declare private _busy: boolean;
  /** The live region's message; undefined (nothing to say) until something happens. */
  declare private _status?: string;
  declare private _open: boolean;

  constructor() {
    super("rating", ENGLISH);
    this._summary = this._yours = null;
    this._preview = 0;
    this._busy = this._open = false;
  }

  protected async _load(): Promise<void> {
    const { api, article } = this._target;
    const own = ownRating(api, article);
    this._yours = own || null;
    try {
      const { rating } = await loadArticle(api, article, own !== undefined);
      // Ignore an answer for an article this element no longer shows.
      if (article === this._target.article) this._summary = rating;
    } catch (error) {
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    if (!(error instanceof ApiFailure)) throw error;
    this._status = this._copy.messages[error.kind];
  }

  private async _rate(rating: number | null): Promise<void> {
    if (this._busy) return;
    this._busy = true;
    this._status = this._copy.messages.saving;
    const { api, article } = this._target;
    try {
      const response = await sendVote(api, article, voterToken(), rating);
      const t = this._copy;
      this._summary = response.rating;
      this._yours = response.yours;
      rememberRating(api, article, response.yours);
      this._status = response.yours ? t.messages.thanks : t.messages.removed;
      // Removing takes the Remove button away: keep focus on the stars (the first is the tab stop
      // once nothing is rated), not <body>.
      if (!rating) this.renderRoot.querySelector<HTMLElement>('[data-value="1"]')!.focus();
      this.dispatchEvent(
        new CustomEvent<PlauditVoteDetail>("plaudit-vote", { bubbles: true, composed: true, detail: { article, rating: response.yours } }),
      );
    } catch (error) {
      this._fail(error);
    } finally {
      this._busy = false;
    }
  }

  private _starOf(event: Event): number {
    return +((event.target as HTMLElement).closest<HTMLElement>("[data-value]")?.dataset.value ?? 0);
  }

  private _onKeydown(event: KeyboardEvent): void {
    const current = this._starOf(event);
    const next = starForKey(event.key, current, this.matches(":dir(rtl)"));
    if (next) this.renderRoot.querySelector<HTMLElement>(`[data-value="${next}"]`)?.focus();
    else if (event.key === "Enter" || event.key === " ") void this._rate(current);
    else return;
    event.preventDefault();
  }

  private _onClick(event: MouseEvent): void {
    const star = this._starOf(event);
    if (star) void this._rate(star);
  }

  private _onPointerOver(event: PointerEvent): void {
    // Touch has no hover: previewing on tap would leave stars stuck lit.
    if (event.pointerType !== "touch") this._preview = this._starOf(event);
  }

  // Dynamic styles are bound as `.style` (CSSOM), never as style="" attributes, which a host's
  // CSP without 'unsafe-inline' blocks.
  protected override render() {
    const t = this._copy;
    const { messages } = t;
    const summary = this._summary;
    const yours = this._yours;
    const best = summary?.best ?? 5;
    const params = { count: summary?.count ?? 0, average: summary?.average ?? 0, best };
    const shown = this._preview || params.average;
    const description = !summary ? "" : summary.count ? t.format(messages.summary, params, "count") : messages.unrated;
    return html`<div part="base" class="base" aria-busy=${this._busy || !(summary || this._status)} .style=${this._t ? "" : "visibility:hidden"}>
      <span part="prompt" class="prompt" id="prompt">${t.format(this.prompt || messages.prompt, params, "count")}</span>
      <span
        part="stars"
        class="stars"
        role="radiogroup"
        aria-labelledby="prompt"
        aria-describedby="summary"
        @keydown=${this._onKeydown}
        @click=${this._onClick}
        @pointerover=${this._onPointerOver}
        @pointerleave=${() => (this._preview = 0)}
        @focusin=${(event: FocusEvent) => (this._preview = this._starOf(event))}
        @focusout=${() => (this._preview = 0)}>
        ${STARS.map(
          (n) =>
            html`<span
              part="star"
              class="star"
              role="radio"
              data-value=${n}
              aria-checked=${yours === n}
              aria-label=${t.format(messages.star, { n }, "n")}
              tabindex=${n === (yours ?? 1) ? 0 : -1}
              ><span part="star-shape" class="shape" .style=${`--fill:${starFill(shown, n)}%`}></span
            ></span>`,
        )}
      </span>
      <span part="legend">${summary ? t.format(this.legend || messages.legend, params, "count") : "\u00a0"}</span>
      <span id="summary">${description}</span>
      <span part="actions" class="actions">
        ${yours
          ? html`<span part="yours">${t.format(messages.yours, { yours, best })}</span>
              <button part="button remove" ?disabled=${this._busy} @click=${() => this._rate(null)}>${messages.remove}</button>`
          : nothing}
        <button part="button details-toggle" aria-expanded=${this._open} @click=${() => (this._open = !this._open)}>${messages.details}</button>
      </span>
      ${this._open && summary ? html`<table part="details" class="details">${this._histogram(t, summary)}</table>` : nothing}
      <p part="status" class="status" role="status">${this._status}</p>
    </div>`;
  }

  private _histogram(t: Translator<typeof en>, { histogram }: RatingSummary) {
    const most = Math.max(1, ...histogram);
    return STARS.map((_, index) => {
      const count = histogram[4 - index] ?? 0;
      return html`<tr>
        <th scope="row">${t.format(t.messages.star, { n: 5 - index }, "n")}</th>
        <td><span part="bar" class="bar" .style=${`--fill:${Math.round((count / most) * 100)}%`}></span></td>
        <td>${t.format("{n}", { n: count })}</td>
      </tr>`;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plaudit-rating": PlauditRating;
  }
  interface HTMLElementEventMap {
    "plaudit-vote": CustomEvent<PlauditVoteDetail>;
  }
}
