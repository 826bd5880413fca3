import { html, nothing, type PropertyValues } from "lit";
import en from "../locales/comments/en.json";
import { ApiFailure, changeComment, loadArticle, loadComments, postComment, type NewComment, type PublicComment } from "../shared/api";
import { PlauditElement } from "../shared/element";
import { Translator } from "../shared/i18n";
import { ownComments, rememberComments, saveCommenter, savedCommenter, type OwnComment } from "../shared/reader";
import { commentStyles } from "./plaudit-comments.styles";
import { applyFates, askFates } from "./fate";
import { clearDraft, loadDraft, saveDraft, type Draft } from "./drafts";
import { arrange, paragraphs, relativeTime, safeUrl, type Shown } from "./thread";
import { onDarkBackground } from "../shared/surroundings";
import { renderTurnstile } from "./turnstile";

type T = Translator<typeof en>;
type Field = "author" | "email" | "website" | "body";

/** Matches the Worker's default EDIT_WINDOW_SECONDS; the server has the final word. */
const EDIT_WINDOW_MS = 15 * 60 * 1000;
/** The Worker's limits. No maxlength: the browser would cut pasted text silently; we say it is too long. */
const LIMITS: Record<Field, number> = { author: 80, email: 254, website: 300, body: 5000 };
const MAX_BODY = LIMITS.body;
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
    label: {},
    order: {},
    _items: { state: true },
    _own: { state: true },
    _count: { state: true },
    _cursor: { state: true },
    _replyTo: { state: true },
    _editing: { state: true },
    _confirming: { state: true },
    _errors: { state: true },
    _changeError: { state: true },
    _editBody: { state: true },
    _status: { state: true },
    _busy: { state: true },
    _loading: { state: true },
    _loadError: { state: true },
  };

  /** Cloudflare Turnstile site key; set it when the Worker has TURNSTILE_SECRET. */
  declare turnstileSitekey: string;
  /** Names this thread for assistive technology, e.g. the post's title; needed only with several threads on a page. */
  declare label: string;
  /** "newest" puts the newest comments first; oldest first otherwise, the blog convention. */
  declare order: string;
  declare private _items: PublicComment[];
  declare private _own: OwnComment[];
  declare private _count: number;
  declare private _cursor: string | null;
  /** The comment the form replies to; null puts the form under the thread. */
  declare private _replyTo: string | null;
  declare private _editing: string | null;
  declare private _confirming: string | null;
  declare private _errors: Partial<Record<Field, string>>;
  /** An error from editing or deleting, shown on that comment rather than on the new-comment form. */
  declare private _changeError: { id: string; message: string } | null;
  /** The text in the open edit form: kept here, as a thread arriving late may draw that form anew. */
  declare private _editBody: string;
  declare private _status: string;
  declare private _busy: boolean;
  /** True until the API first answers: there is no count to show yet, not "0 comments". */
  declare private _loading: boolean;
  /** Why the thread could not be loaded, shown with a Try again button; "" when it loaded. */
  declare private _loadError: string;
  private _turnstileToken = "";
  /** Whether the page behind is dark, checked at each render: error text must read on it. */
  private _dark = false;

  constructor() {
    super("comments", ENGLISH);
    this._items = [];
    this._own = [];
    this._count = 0;
    this._cursor = this._replyTo = this._editing = this._confirming = this._changeError = null;
    this._editBody = "";
    this._errors = {};
    this._status = this._loadError = "";
    this._busy = false;
    this._loading = true;
  }

  protected async _load(): Promise<void> {
    const { api, article } = this._target;
    this._own = ownComments(api, article);
    this._loading = true;
    this._loadError = "";
    try {
      const { comments } = await loadArticle(api, article);
      let { items, cursor } = comments;
      // The page view brings the oldest comments: with more pages, newest first starts from the
      // other end. Items stay in publication order (replies after what they answer); render turns them round.
      if (this.order == "newest" && cursor) ({ comments: items, cursor } = await loadComments(api, article, "", true)), items.reverse();
      if (article !== this._target.article) return;
      this._items = items;
      this._count = comments.count;
      this._cursor = cursor;
      void this._settleOwn(items);
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      this._loadError = error.kind === "failed" ? this._copy.messages.loadFailed : this._copy.messages[error.kind];
    } finally {
      // Whatever happened: the form waits for the thread, and must never wait for good.
      this._loading = false;
    }
  }

  /** Forget the reader's held comments that moderators removed; stop calling approved ones pending. */
  private async _settleOwn(thread: PublicComment[]): Promise<void> {
    const { api, article } = this._target;
    const fates = await askFates(api, article, this._own, thread);
    // Applied to the comments as they are now: the reader may have posted meanwhile.
    if (fates.size && article === this._target.article) this._remember(applyFates(this._own, fates));
  }

  private async _retry(): Promise<void> {
    await this._load();
    // The Try again button is gone now: keep focus in the widget rather than on <body>.
    await this._focus("h2");
  }

  /** What to tell the reader about a failed request, and which field it concerns, if any. */
  private _explain(error: unknown): { field?: Field; message: string } {
    if (!(error instanceof ApiFailure)) throw error;
    const { messages } = this._copy;
    const field = error.field as Field;
    // Only invalid_comment and reserved_name (the owner's name, on `author`) name these fields.
    if (field in LIMITS) {
      return { field, message: error.code === "reserved_name" ? messages.reserved : field === "email" ? messages.badEmail : field === "website" ? messages.badWebsite : messages.required };
    }
    return { message: error.code === "duplicate" ? messages.duplicate : error.code === "edit_window_closed" ? messages.closed : messages[error.kind] };
  }

  /** A failure of the new-comment (or reply) form: on its field, else in the status line. */
  private _fail(error: unknown): void {
    const { field, message } = this._explain(error);
    if (field) this._errors = { [field]: message };
    else this._status = message;
  }

  private _tooLong(name: Field, length: number): string | undefined {
    return length > LIMITS[name] ? this._copy.format(this._copy.messages.tooLong, { max: LIMITS[name] }) : undefined;
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
    for (const name of Object.keys(LIMITS) as Field[]) {
      const tooLong = this._tooLong(name, value(name).length);
      if (tooLong) errors[name] = tooLong;
    }
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
    const parent = this._replyTo;
    if (parent) input.parentId = parent;
    if (this._turnstileToken) input.turnstileToken = this._turnstileToken;
    this._busy = true;
    try {
      const { api, article } = this._target;
      const { comment, editToken } = await postComment(api, article, input);
      this._remember([...this._own, { comment, editToken }]);
      saveCommenter({ author: input.author, website: input.website });
      if (comment.status === "approved") this._count += 1;
      this._status = comment.status === "approved" ? t.messages.published : t.messages.held;
      clearDraft(api, article, parent ?? "");
      this._replyTo = null;
      // The form the reader was in may be gone (a reply's): take them to what they just posted.
      void this._focus(`#c-${comment.id}`);
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
    this._changeError = null;
    try {
      const { api, article } = this._target;
      const result = await changeComment(api, article, comment.id, own.editToken, body);
      if (result) {
        const updated = { ...comment, ...result.comment };
        this._items = this._items.map((item) => (item.id === comment.id ? updated : item));
        this._remember(this._own.map((entry) => (entry === own ? { ...own, comment: updated } : entry)));
        // Under pre-moderation an edit of a published comment waits for review; readers keep the old text.
        if (updated.status === "pending") this._status = this._copy.messages.held;
        void this._focus(`#c-${comment.id}`);
      } else {
        if (this._items.some((item) => item.id === comment.id)) this._count -= 1;
        this._items = this._items.filter((item) => item.id !== comment.id);
        this._remember(this._own.filter((entry) => entry !== own));
        this._status = this._copy.messages.deleted;
        // The comment and its buttons are gone: its parent, or the thread's heading, takes focus.
        void this._focus(`#c-${comment.parentId}`);
      }
      this._editing = this._confirming = null;
    } catch (error) {
      this._changeError = { id: comment.id, message: this._explain(error).message };
      // In the edit form the text field describes the error; a failed delete announces it (role=alert).
      if (this._editing === comment.id) void this._focus("#edit");
    } finally {
      this._busy = false;
    }
  }

  private _editInput(event: InputEvent): void {
    this._editBody = (event.target as HTMLTextAreaElement).value;
    // The last error was about the text as it was.
    this._changeError = null;
  }

  private _saveEdit(event: SubmitEvent, comment: PublicComment): void {
    event.preventDefault();
    const body = new FormData(event.target as HTMLFormElement).get("body") as string;
    const problem = body.trim() ? this._tooLong("body", body.length) : this._copy.messages.required;
    if (!problem) return void this._change(comment, body);
    this._changeError = { id: comment.id, message: problem };
    void this._focus("#edit");
  }

  private async _more(): Promise<void> {
    const { api, article } = this._target;
    try {
      const page = await loadComments(api, article, this._cursor ?? "0");
      this._items = this.order == "newest" ? [...page.comments.reverse(), ...this._items] : [...this._items, ...page.comments];
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
    if (this.order == "newest") shown.reverse();
    const known = !this._loading && !this._loadError;
    return html`<section part="base" class=${this._dark ? "base dark" : "base"} aria-labelledby="heading name" aria-busy=${this._loading} .style=${this._t ? "" : "visibility:hidden"}>
      <span id="name" hidden>${this._name()}</span>
      <h2 part="heading" id="heading" tabindex="-1">${known ? t.format(messages.heading, { count: this._count }, "count") : messages.title}</h2>
      ${this._replyTo ? nothing : html`<h3 part="heading" id="leave">${messages.leave}</h3>${this._form(t)}`}
      <p part="status" class="status" role="status">${this._status}</p>
      ${this._loadError
        ? html`<p part="error" class="error actions">${this._loadError}<button part="button retry" @click=${this._retry}>${messages.retry}</button></p>`
        : nothing}
      ${shown.length
        ? html`<ol part="thread" class="thread">${shown.map((entry) => this._comment(t, entry))}</ol>`
        : known
          ? html`<p part="empty">${messages.empty}</p>`
          : nothing}
      ${this._cursor ? html`<button part="button more" @click=${this._more}>${messages.more}</button>` : nothing}
    </section>`;
  }

  /**
   * Several threads on one page must be told apart by their landmark names: the `label`, else
   * the article id. A lone thread needs only its heading.
   */
  private _name(): string {
    return this.label || (document.querySelectorAll("plaudit-comments").length > 1 ? this._target.article : "");
  }

  /** Move focus once rendered, when what had it is gone; the heading is the fallback. */
  private async _focus(selector: string): Promise<void> {
    await this.updateComplete;
    (this.renderRoot.querySelector<HTMLElement>(selector) ?? this.renderRoot.querySelector<HTMLElement>("h2"))?.focus();
  }

  private _comment(t: T, { comment, parent, replies }: Shown): unknown {
    const { messages } = t;
    const own = this._own.some((entry) => entry.comment.id === comment.id);
    const mayChange = own && Date.now() - Date.parse(comment.createdAt) < EDIT_WINDOW_MS;
    // The thread's own copies carry no status: only the reader's held comments and edits do.
    const pending = own && comment.status === "pending";
    const website = safeUrl(comment.website);
    const error = this._changeError?.id === comment.id ? this._changeError.message : undefined;
    // No whitespace between the meta items, nor between the actions: both are flex rows whose gap
    // spaces them, and embed.js has no byte to spare.
    return html`<li part="comment" class="comment" id="c-${comment.id}" tabindex="-1">
      <p part="meta" class="meta">${website ? html`<a part="author" href=${website} rel="nofollow ugc noopener">${comment.author}</a>` : html`<strong part="author">${comment.author}</strong>`}${comment.owner ? html`<span part="badge">${messages.author}</span>` : nothing}<time part="time" datetime=${comment.createdAt} title=${new Date(comment.createdAt).toLocaleString(t.locale)}>${relativeTime(comment.createdAt, t.locale)}</time>${comment.editedAt ? html`<span>(${messages.edited})</span>` : nothing}${pending ? html`<i part="pending">${messages.pending}</i>` : nothing}${parent ? html`<span class="visually-hidden">${t.format(messages.inReplyTo, { author: parent.author })}</span>` : nothing}
      </p>
      ${this._editing === comment.id
        ? html`<form part="form" class="form" novalidate @submit=${(event: SubmitEvent) => this._saveEdit(event, comment)}>
            <label part="label" for="edit">${messages.comment}</label>
            <textarea part="textarea" id="edit" name="body" required rows="4" .value=${this._editBody} aria-invalid=${!!error || this._editBody.length > MAX_BODY}
              aria-describedby="edit-error edit-counter" @input=${this._editInput}></textarea>
            <span part="counter" class="counter" id="edit-counter">${t.format(messages.counter, { n: this._editBody.length, max: MAX_BODY })}</span>
            <span part="error" class="error" id="edit-error">${error ?? this._tooLong("body", this._editBody.length) ?? ""}</span>
            <span class="buttons"><button part="button submit" ?disabled=${this._busy || this._loading}>${messages.save}</button>
            <button part="button" type="button" @click=${() => this._edit(null, comment.id)}>${messages.cancel}</button></span>
          </form>`
        : html`<div part="body" class="body">${paragraphs(comment.body).map(
            (lines) => html`<p>${lines.map((segments, index) => html`${index ? html`<br />` : nothing}${segments.map((segment) =>
              typeof segment === "string" ? segment : html`<a href=${segment.href} rel="nofollow ugc noopener">${segment.href}</a>`,
            )}`)}</p>`,
          )}</div>`}
      <p part="actions" class="actions">${pending ? nothing : html`<button part="button" class="reply" aria-expanded=${this._replyTo === comment.id} @click=${() => this._reply(comment.id)}>${messages.reply}</button>`}${mayChange && this._editing !== comment.id
          ? html`<button part="button" class="edit" @click=${() => this._edit(comment.id, comment.id)}>${messages.edit}</button><button part="button" ?disabled=${this._loading} @click=${() => (this._confirming === comment.id ? this._change(comment) : (this._confirming = comment.id))}>${this._confirming === comment.id ? messages.confirm : messages.delete}</button>`
          : nothing}</p>
      ${error && this._editing !== comment.id ? html`<p part="error" class="error" role="alert">${error}</p>` : nothing}
      ${this._replyTo === comment.id ? html`<h3 part="heading" id="leave">${t.format(messages.replyTo, { author: comment.author })}</h3>${this._form(t)}` : nothing}
      ${replies.length ? html`<ol part="thread" class="thread">${replies.map((reply) => this._comment(t, reply))}</ol>` : nothing}
    </li>`;
  }

  /** Reply opens the form under a comment (and closes it again); focus goes into the form, or back to the button. */
  private _reply(id: string): Promise<void> {
    this._replyTo = this._replyTo === id ? null : id;
    this._errors = {};
    return this._focus(this._replyTo ? "#author" : `#c-${id} .reply`);
  }

  /** Open (`id`) or close (null) the edit form of comment `of`, keeping focus where the reader works. */
  private _edit(id: string | null, of: string): Promise<void> {
    this._editing = id;
    this._changeError = null;
    this._editBody = this._own.find((entry) => entry.comment.id === id)?.comment.body ?? "";
    return this._focus(id ? "#edit" : `#c-${of} .edit`);
  }

  private _field(name: Field, label: string, control: unknown, errors: Partial<Record<Field, string>>) {
    const error = errors[name];
    return html`<p part="field" class="field">
      <label part="label" for=${name}>${label}</label>${control}
      <span part="error" class="error" id="${name}-error">${error ?? ""}</span>
    </p>`;
  }

  /** The open form's draft, kept per article and parent so switching forms never loses text. */
  private _draft(): Draft {
    const { api, article } = this._target;
    // A reply starts with the name, email and website typed into the main form, else the saved ones.
    const { body, ...main } = loadDraft(api, article, "");
    return { ...savedCommenter(), ...main, ...(this._replyTo ? loadDraft(api, article, this._replyTo) : { body }) };
  }

  private _keepDraft(event: InputEvent): void {
    const form = event.currentTarget as HTMLFormElement;
    const { api, article } = this._target;
    // A field's error goes once the reader changes that field.
    const name = (event.target as HTMLInputElement).name as Field;
    if (this._errors[name]) this._errors = { ...this._errors, [name]: undefined };
    const value = (name: Field) => (form.elements.namedItem(name) as HTMLInputElement).value;
    saveDraft(api, article, this._replyTo ?? "", { author: value("author"), email: value("email"), website: value("website"), body: value("body") });
    this.requestUpdate();
  }

  private _form(t: T) {
    const { messages } = t;
    const draft = this._draft();
    const body = draft.body ?? "";
    // Too long is said while typing, not only on Post.
    const errors = { ...this._errors, body: this._errors.body ?? this._tooLong("body", body.length) };
    const invalid = (name: Field) => !!errors[name];
    const input = (name: Exclude<Field, "body">, type: string, autocomplete: string) =>
      this._field(
        name,
        messages[name === "author" ? "name" : name],
        html`<input part="input" id=${name} name=${name} type=${type} autocomplete=${autocomplete} ?required=${name === "author"} .value=${draft[name] ?? ""}
          aria-invalid=${invalid(name)} aria-describedby="${name}-error" />`,
        errors,
      );
    // Each keystroke re-renders with the draft, so Lit's last value always matches what the field shows.
    return html`<form part="form" class="form" novalidate aria-labelledby="leave name" @submit=${this._submit} @input=${this._keepDraft}>
      ${input("author", "text", "name")}${input("email", "email", "email")}${input("website", "url", "url")}
      ${this._field(
        "body",
        messages.comment,
        html`<textarea part="textarea" id="body" name="body" required rows="5" .value=${body} aria-invalid=${invalid("body")} aria-describedby="body-error counter"></textarea>
          <span part="counter" class="counter" id="counter">${t.format(messages.counter, { n: body.length, max: MAX_BODY })}</span>`,
        errors,
      )}
      <div class="visually-hidden" aria-hidden="true"><label>Company <input name="company" tabindex="-1" autocomplete="off" /></label></div>
      ${this.turnstileSitekey ? html`<div class="turnstile"></div>` : nothing}
      <span class="buttons">
        <button part="button submit" class="submit" ?disabled=${this._busy || this._loading}>${messages.submit}</button>
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
