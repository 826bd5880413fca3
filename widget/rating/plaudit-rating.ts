import { html, nothing } from "lit";
import { ApiFailure, loadArticle, sendVote, type RatingSummary } from "../shared/api";
import type { PlauditLoadDetail } from "../shared/events";
import { Translator } from "../shared/i18n";
import { scriptOrigin } from "../shared/context";
import { PlauditElement } from "../shared/element";
import en from "../locales/rating/en.json";
import { ownRating, rememberRating, voterToken } from "../shared/reader";
import { ratingStyles } from "./plaudit-rating.styles";
import { STARS, starFill, starForKey } from "./stars";

export interface PlauditVoteDetail {
  article: string;
  /** The reader's new rating, or null when they removed it. */
  rating: number | null;
}

/**
 * Click-to-rate stars showing the current average, as an accessible radio group.
 *
 * @fires plaudit-load - once the article's rating has loaded (bubbles, composed)
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
    readonly: { type: Boolean },
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
  /** Show the average without letting the reader vote. */
  declare readonly: boolean;
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

  /** The article's rating once loaded (kept current after votes), as the API gives it. */
  get rating(): RatingSummary | null {
    return this._summary;
  }

  protected async _load(): Promise<void> {
    const { api, article } = this._target;
    const own = ownRating(api, article);
    this._yours = own || null;
    // Nothing of the article shown before, not even a vote of it still on its way.
    this._summary = null;
    this._status = undefined;
    try {
      const response = await loadArticle(api, article, own !== undefined);
      // Ignore an answer for an article this element no longer shows. A vote answered meanwhile
      // (a reader quicker than a slow network) carries a newer rating than this load.
      if (article === this._target.article) this._fire<PlauditLoadDetail>("plaudit-load", { ...response, rating: (this._summary ??= response.rating) });
    } catch (error) {
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    if (!(error instanceof ApiFailure)) throw error;
    this._status = this._copy.messages[error.kind];
  }

  private _fire<D>(type: string, detail: D): void {
    this.dispatchEvent(new CustomEvent<D>(type, { bubbles: true, composed: true, detail }));
  }

  private async _rate(rating: number | null): Promise<void> {
    if (this._busy) return;
    this._busy = true;
    this._status = this._copy.messages.saving;
    const { api, article } = this._target;
    try {
      const response = await sendVote(api, article, voterToken(), rating);
      // The element was pointed at another article meanwhile: this answer is not about it.
      if (article !== this._target.article) return;
      this._summary = response.rating;
      this._yours = response.yours;
      rememberRating(api, article, response.yours);
      this._status = this._copy.messages[response.yours ? "thanks" : "removed"];
      // Removing takes the Remove button away: keep focus on the stars (the first is the tab stop
      // once nothing is rated), not <body>.
      if (!rating) this.renderRoot.querySelector<HTMLElement>('[data-value="1"]')!.focus();
      const detail = { article, rating: response.yours };
      this._fire<PlauditVoteDetail>("plaudit-vote", detail);
      // 1 or 2 stars: ask what could be better, unless the site said feedback="off". The form is
      // feedback.js, fetched only then: the rating's budget has no room for it.
      if (detail.rating! < 3 && detail.rating && this.getAttribute("feedback") != "off")
        void import(`${scriptOrigin}/feedback.js`).then((module: typeof import("../feedback")) => module.askFeedback(this, detail));
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
    const readonly = this.readonly;
    // Read-only: no vote of the reader's to show or remove.
    const yours = !readonly && this._yours;
    const best = summary?.best ?? 5;
    const params = { count: summary?.count ?? 0, average: summary?.average ?? 0, best };
    const shown = this._preview || params.average;
    const description = !summary ? "" : summary.count || readonly ? t.format(messages.summary, params, "count") : messages.unrated;
    const shape = (n: number) => html`<span part="star-shape" class="shape" .style=${`--fill:${starFill(shown, n)}%`}></span>`;
    return html`<div part="base" class="base" aria-busy=${this._busy || !(summary || this._status)} .style=${this._t ? "" : "visibility:hidden"}>
      <span part="prompt" class="prompt" id="prompt">${t.format(this.prompt || (readonly ? "" : messages.prompt), params, "count")}</span>
      <span
        part="stars"
        class="stars"
        role=${readonly ? "img" : "radiogroup"}
        aria-labelledby=${readonly ? "summary" : "prompt"}
        aria-describedby=${readonly ? nothing : "summary"}
        @keydown=${this._onKeydown}
        @click=${this._onClick}
        @pointerover=${this._onPointerOver}
        @pointerleave=${() => (this._preview = 0)}
        @focusin=${(event: FocusEvent) => (this._preview = this._starOf(event))}
        @focusout=${() => (this._preview = 0)}>
        ${STARS.map((n) =>
          // Read-only, the stars are one image of the average: nothing to choose, no radios.
          readonly
            ? shape(n)
            : html`<span
                part="star"
                class="star"
                role="radio"
                data-value=${n}
                aria-checked=${yours === n}
                aria-label=${t.format(messages.star, { n }, "n")}
                tabindex=${n === (yours ?? 1) ? 0 : -1}
                >${shape(n)}</span
              >`,
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
      ${this._open && summary ? html`<table part="details" class="details"></table>` : nothing}
      <p part="status" class="status" role="status">${this._status}</p>
    </div>`;
  }

  // The details table is filled by details.js, fetched the first time a reader opens it: the
  // rating's budget has no room for it. Lit leaves the children of the empty table alone.
  protected override updated(): void {
    const table = this.renderRoot.querySelector("table");
    if (table) {
      import(`${scriptOrigin}/details.js`).then(
        (module: typeof import("../details")) => module.showDetails(table, this._summary!, this._copy),
        // Unreachable (offline, blocked): close the table and say so, rather than leave it empty.
        () => ((this._open = false), (this._status = this._copy.messages.failed)),
      );
    }
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
