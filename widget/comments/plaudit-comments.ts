import { html, nothing, type PropertyValues } from "lit";
import en from "../locales/comments/en.json";
import { ApiFailure, changeComment, loadArticle, loadComments, postComment, type NewComment, type PublicComment } from "../shared/api";
import { PlauditElement } from "../shared/element";
import { Translator } from "../shared/i18n";
import { ownComments, rememberComments, saveCommenter, savedCommenter, type OwnComment } from "../shared/reader";
import { commentStyles } from "./plaudit-comments.styles";
import { arrange, paragraphs, relativeTime, safeUrl, type Shown } from "./thread";
import { onDarkBackground } from "../shared/surroundings";
import { renderTurnstile } from "./turnstile";

type T = Translator<typeof en>;
type Field = "author" | "email" | "website" | "body";

/** Matches the Worker's default EDIT_WINDOW_SECONDS; the server has the final word. */
const EDIT_WINDOW_MS = 15 * 60 * 1000;
const MAX_BODY = 5000;
const ENGLISH = new Translator(en, "en");

/**
 * The comment thread and "Leave a Comment" form, rendered in the page (no iframe). User text is
 * only ever rendered as text; http(s) links become anchors with rel="nofollow ugc noopener".
 *
 * @csspart base, heading, empty, thread, comment, meta, author, time, pending, body, actions,
 *   button, form, field, label, input, textarea, counter, error, submit, status, more
 */
export class PlauditComments extends PlauditElement<typeof en> {
  static override styles = commentStyles;
  static override properties = {
    turnstileSitekey: { attribute: "turnstile-sitekey" },
    _items: { state: true },
    _own: { state: true },
    _count: { state: true },
    _cursor: { state: true },
    _replyTo: { state: true },
    _editing: { state: true },
    _confirming: { state: true },
    _errors: { state: true },
    _status: { state: true },
    _busy: { state: true },
    _length: { state: true },
  };

  /** Cloudflare Turnstile site key; set it when the Worker has TURNSTILE_SECRET. */
  declare turnstileSitekey: string;
  declare private _items: PublicComment[];
  declare private _own: OwnComment[];
  declare private _count: number;
  declare private _cursor: string | null;
  /** The comment the form replies to; null puts the form under the thread. */
  declare private _replyTo: string | null;
  declare private _editing: string | null;
  declare private _confirming: string | null;
  declare private _errors: Partial<Record<Field, string>>;
  declare private _status: string;
  declare private _busy: boolean;
  declare private _length: number;
  private _turnstileToken = "";
  /** Whether the page behind is dark, checked at each render: error text must read on it. */
  private _dark = false;

  constructor() {
    super("comments", ENGLISH);
    this._items = [];
    this._own = [];
    this._count = this._length = 0;
    this._cursor = this._replyTo = this._editing = this._confirming = null;
    this._errors = {};
    this._status = "";
    this._busy = false;
  }

  protected async _load(): Promise<void> {
    const { api, article } = this._target;
    this._own = ownComments(api, article);
    try {
      const { comments } = await loadArticle(api, article);
      if (article !== this._target.article) return;
      this._items = comments.items;
      this._count = comments.count;
      this._cursor = comments.cursor;
    } catch (error) {
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    if (!(error instanceof ApiFailure)) throw error;
    const { messages } = this._copy;
    const field = error.field as Field;
    if (error.code === "invalid_comment" && ["author", "email", "website", "body"].includes(field)) {
      this._errors = { [field]: field === "email" ? messages.badEmail : field === "website" ? messages.badWebsite : messages.required };
    } else {
      this._status = error.code === "duplicate" ? messages.duplicate : error.code === "edit_window_closed" ? messages.closed : messages[error.kind];
    }
  }

  private _remember(own: OwnComment[]): void {
    const { api, article } = this._target;
    this._own = own;
    rememberComments(api, article, own);
  }

  private _validate(form: HTMLFormElement): Partial<Record<Field, string>> {
    const { messages } = this._copy;
    const errors: Partial<Record<Field, string>> = {};
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    if (!value("author")) errors.author = messages.required;
    if (!value("body")) errors.body = messages.required;
    if ((form.elements.namedItem("email") as HTMLInputElement).validity.typeMismatch) errors.email = messages.badEmail;
    if (value("website") && !safeUrl(value("website"))) errors.website = messages.badWebsite;
    return errors;
  }

  private async _submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const t = this._copy;
    this._errors = this._validate(form);
    this._status = "";
    const invalid = Object.keys(this._errors)[0];
    if (invalid) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${invalid}`)?.focus();
      return;
    }
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const input: NewComment = { author: data.author!, body: data.body!, email: data.email, website: data.website, company: data.company };
    if (this._replyTo) input.parentId = this._replyTo;
    if (this._turnstileToken) input.turnstileToken = this._turnstileToken;
    this._busy = true;
    try {
      const { api, article } = this._target;
      const { comment, editToken } = await postComment(api, article, input);
      this._remember([...this._own, { comment, editToken }]);
      saveCommenter({ author: input.author, website: input.website });
      if (comment.status === "approved") this._count += 1;
      this._status = comment.status === "approved" ? t.messages.published : t.messages.held;
      form.reset();
      this._length = 0;
      this._replyTo = null;
    } catch (error) {
      this._fail(error);
    } finally {
      this._busy = false;
    }
  }

  private async _change(comment: PublicComment, body?: string): Promise<void> {
    const own = this._own.find((entry) => entry.comment.id === comment.id);
    if (!own || this._busy) return;
    this._busy = true;
    this._status = "";
    try {
      const { api, article } = this._target;
      const result = await changeComment(api, article, comment.id, own.editToken, body);
      if (result) {
        const updated = { ...comment, ...result.comment };
        this._items = this._items.map((item) => (item.id === comment.id ? updated : item));
        this._remember(this._own.map((entry) => (entry === own ? { ...own, comment: updated } : entry)));
        // Under pre-moderation an edit of a published comment waits for review; readers keep the old text.
        if (updated.status === "pending") this._status = this._copy.messages.held;
      } else {
        if (this._items.some((item) => item.id === comment.id)) this._count -= 1;
        this._items = this._items.filter((item) => item.id !== comment.id);
        this._remember(this._own.filter((entry) => entry !== own));
        this._status = this._copy.messages.deleted;
      }
      this._editing = this._confirming = null;
    } catch (error) {
      this._fail(error);
    } finally {
      this._busy = false;
    }
  }

  private async _more(): Promise<void> {
    const { api, article } = this._target;
    try {
      const page = await loadComments(api, article, this._cursor ?? "0");
      this._items = [...this._items, ...page.comments];
      this._cursor = page.cursor;
    } catch (error) {
      this._fail(error);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this._dark = onDarkBackground(this);
    super.willUpdate(changed);
  }

  protected override updated(): void {
    const slot = this.renderRoot.querySelector<HTMLElement>(".turnstile");
    if (slot && this.turnstileSitekey) renderTurnstile(slot, this.turnstileSitekey, (token) => (this._turnstileToken = token));
  }

  // The form comes before the thread: the thread arrives (or grows) below it, so a reader who
  // landed on the comments never has the form jump away while the API answers.
  protected override render() {
    const t = this._copy;
    const { messages } = t;
    const shown = arrange(this._items, this._own.map((own) => own.comment));
    return html`<section part="base" class=${this._dark ? "base dark" : "base"} aria-labelledby="heading" .style=${this._t ? "" : "visibility:hidden"}>
      <h2 part="heading" id="heading">${t.format(messages.heading, { count: this._count }, "count")}</h2>
      ${this._replyTo ? nothing : html`<h3 part="heading" id="leave">${messages.leave}</h3>${this._form(t)}`}
      <p part="status" class="status" role="status">${this._status}</p>
      ${shown.length ? html`<ol part="thread" class="thread">${shown.map((entry) => this._comment(t, entry))}</ol>` : html`<p part="empty">${messages.empty}</p>`}
      ${this._cursor ? html`<button part="button more" @click=${this._more}>${messages.more}</button>` : nothing}
    </section>`;
  }

  // `.style` sets --depth through CSSOM: a style="" attribute would break under a strict host CSP.
  private _comment(t: T, { comment, depth }: Shown) {
    const { messages } = t;
    const own = this._own.some((entry) => entry.comment.id === comment.id);
    const mayChange = own && Date.now() - Date.parse(comment.createdAt) < EDIT_WINDOW_MS;
    // The thread's own copies carry no status: only the reader's held comments and edits do.
    const pending = own && comment.status === "pending";
    const website = safeUrl(comment.website);
    return html`<li part="comment" class="comment" .style=${`--depth:${depth - 1}`}>
      <p part="meta" class="meta">
        ${website ? html`<a part="author" class="author" href=${website} rel="nofollow ugc noopener">${comment.author}</a>` : html`<strong part="author" class="author">${comment.author}</strong>`}
        <time part="time" datetime=${comment.createdAt} title=${new Date(comment.createdAt).toLocaleString(t.locale)}>${relativeTime(comment.createdAt, t.locale)}</time>
        ${comment.editedAt ? html`<span>(${messages.edited})</span>` : nothing}
        ${pending ? html`<span part="pending" class="pending">${messages.pending}</span>` : nothing}
      </p>
      ${this._editing === comment.id
        ? html`<form part="form" class="form" @submit=${(event: SubmitEvent) => {
            event.preventDefault();
            void this._change(comment, new FormData(event.target as HTMLFormElement).get("body") as string);
          }}>
            <label part="label" for="edit">${messages.comment}</label>
            <textarea part="textarea" id="edit" name="body" required maxlength=${MAX_BODY} rows="4" .value=${comment.body}></textarea>
            <span class="buttons"><button part="button submit" ?disabled=${this._busy}>${messages.save}</button>
            <button part="button" type="button" @click=${() => (this._editing = null)}>${messages.cancel}</button></span>
          </form>`
        : html`<div part="body" class="body">${paragraphs(comment.body).map(
            (lines) => html`<p>${lines.map((segments, index) => html`${index ? html`<br />` : nothing}${segments.map((segment) =>
              typeof segment === "string" ? segment : html`<a href=${segment.href} rel="nofollow ugc noopener">${segment.href}</a>`,
            )}`)}</p>`,
          )}</div>`}
      <p part="actions" class="actions">
        ${pending ? nothing : html`<button part="button" aria-expanded=${this._replyTo === comment.id} @click=${() => this._reply(comment.id)}>${messages.reply}</button>`}
        ${mayChange && this._editing !== comment.id
          ? html`<button part="button" @click=${() => (this._editing = comment.id)}>${messages.edit}</button>
              <button part="button" @click=${() => (this._confirming === comment.id ? this._change(comment) : (this._confirming = comment.id))}>
                ${this._confirming === comment.id ? messages.confirm : messages.delete}
              </button>`
          : nothing}
      </p>
      ${this._replyTo === comment.id ? html`<h3 part="heading" id="leave">${t.format(messages.replyTo, { author: comment.author })}</h3>${this._form(t)}` : nothing}
    </li>`;
  }

  private async _reply(id: string): Promise<void> {
    this._replyTo = this._replyTo === id ? null : id;
    this._errors = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#author")?.focus();
  }

  private _field(name: Field, label: string, control: unknown) {
    const error = this._errors[name];
    return html`<p part="field" class="field">
      <label part="label" for=${name}>${label}</label>${control}
      <span part="error" class="error" id="${name}-error">${error ?? ""}</span>
    </p>`;
  }

  private _form(t: T) {
    const { messages } = t;
    const invalid = (name: Field) => (this._errors[name] ? "true" : "false");
    const known = savedCommenter();
    return html`<form part="form" class="form" novalidate aria-labelledby="leave" @submit=${this._submit}>
      ${this._field("author", messages.name, html`<input part="input" id="author" name="author" autocomplete="name" required maxlength="80" .defaultValue=${known.author ?? ""} aria-invalid=${invalid("author")} aria-describedby="author-error" />`)}
      ${this._field("email", messages.email, html`<input part="input" id="email" name="email" type="email" autocomplete="email" maxlength="254" aria-invalid=${invalid("email")} aria-describedby="email-error" />`)}
      ${this._field("website", messages.website, html`<input part="input" id="website" name="website" type="url" autocomplete="url" maxlength="300" .defaultValue=${known.website ?? ""} aria-invalid=${invalid("website")} aria-describedby="website-error" />`)}
      ${this._field(
        "body",
        messages.comment,
        html`<textarea part="textarea" id="body" name="body" required rows="5" maxlength=${MAX_BODY} aria-invalid=${invalid("body")} aria-describedby="body-error counter"
            @input=${(event: InputEvent) => (this._length = (event.target as HTMLTextAreaElement).value.length)}></textarea>
          <span part="counter" class="counter" id="counter">${t.format(messages.counter, { n: this._length, max: MAX_BODY })}</span>`,
      )}
      <div class="trap" aria-hidden="true"><label>Company <input name="company" tabindex="-1" autocomplete="off" /></label></div>
      ${this.turnstileSitekey ? html`<div class="turnstile"></div>` : nothing}
      <span class="buttons">
        <button part="button submit" class="submit" ?disabled=${this._busy}>${messages.submit}</button>
        ${this._replyTo ? html`<button part="button" type="button" @click=${() => this._reply(this._replyTo!)}>${messages.cancel}</button>` : nothing}
      </span>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plaudit-comments": PlauditComments;
  }
}
