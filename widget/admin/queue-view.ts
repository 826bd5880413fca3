import { html, LitElement, nothing, type PropertyValues } from "lit";
import { adminStyles } from "./admin.styles";
import { STATUSES, type AdminApi, type ModeratedComment, type Status, failureMessage } from "./api";

const LABELS: Record<Status, string> = { pending: "Pending", approved: "Approved", spam: "Spam", deleted: "Deleted by author" };
const ACTIONS: { status: Status; label: string }[] = [
  { status: "approved", label: "Approve" },
  { status: "spam", label: "Spam" },
  { status: "pending", label: "Pending" },
];
/** How long the last status change can be undone. */
const UNDO_MS = 10_000;

/** The actions a tab offers: back to pending only from approved or spam (the pending tab also holds approved comments with an edit awaiting review). */
function actionsIn(tab: Status) {
  return ACTIONS.filter((action) => action.status !== tab && (action.status !== "pending" || tab === "approved" || tab === "spam"));
}

/** Whether the key goes into a text field, wherever it is (also inside shadow roots). */
function isTyping(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (target instanceof HTMLInputElement) return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  return target instanceof HTMLElement && (/^(TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
}

/**
 * The moderation queue: tabs per status with counts, article filter, paging, selection and bulk
 * actions, keyboard shortcuts, and optimistic updates that roll back with a message on failure.
 */
export class PlauditQueue extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    api: { attribute: false },
    _status: { state: true },
    _counts: { state: true },
    _items: { state: true },
    _cursor: { state: true },
    _article: { state: true },
    _selected: { state: true },
    _current: { state: true },
    _editing: { state: true },
    _message: { state: true },
    _loading: { state: true },
    _undo: { state: true },
    _replying: { state: true },
    _search: { state: true },
  };

  declare api: AdminApi;
  declare private _status: Status;
  declare private _counts: Record<Status, number> | null;
  declare private _items: ModeratedComment[];
  declare private _cursor: string | null;
  declare private _article: string;
  declare private _selected: Set<string>;
  /** Index of the comment j/k and the a/s/d shortcuts act on. */
  declare private _current: number;
  declare private _editing: string | null;
  /** Text, author or email searched for in this tab; "" lists everything. */
  declare private _search: string;
  /** The comment the owner's reply form is open under. */
  declare private _replying: string | null;
  declare private _message: string;
  declare private _loading: boolean;
  /** The comments of the last status change, as they were before it, while it can be undone. */
  declare private _undo: ModeratedComment[] | null;
  private _undoTimer?: ReturnType<typeof setTimeout>;
  /** Bumped by every reload: an answer to an older request (another tab, filter or page) is dropped. */
  private _generation = 0;

  constructor() {
    super();
    this._status = "pending";
    this._counts = null;
    this._items = [];
    this._cursor = this._editing = this._replying = null;
    this._article = this._message = this._search = "";
    this._selected = new Set();
    this._current = 0;
    this._loading = false;
    this._undo = null;
  }

  // On the document, not this element: after sign-in, a reload or a click on an empty area focus
  // sits outside the queue, and the shortcuts must work from there too.
  private readonly _keyListener = (event: KeyboardEvent) => this._onKey(event);

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("keydown", this._keyListener);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("keydown", this._keyListener);
    this._offerUndo(null);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("api") && this.api) void this.reload();
  }

  /**
   * Fetch counts and the first page of the current tab again, once the moderator's own changes
   * still saving have answered: a comment approved a moment ago is in the Approved tab.
   */
  async reload(): Promise<void> {
    const generation = ++this._generation;
    this._loading = true;
    this._selected = new Set();
    this._left = new Set();
    try {
      if (this._saving.size) await Promise.allSettled(this._saving);
      if (generation !== this._generation) return;
      const [counts, page] = await Promise.all([this.api.counts(), this.api.list(this._status, this._article, null, this._search)]);
      if (generation !== this._generation) return;
      this._counts = counts.comments;
      this._items = this._stillHere(page.comments);
      this._cursor = page.cursor;
      this._current = 0;
    } catch (error) {
      if (generation === this._generation) this._fail(error);
    } finally {
      if (generation === this._generation) this._loading = false;
    }
  }

  private async _more(): Promise<void> {
    const generation = this._generation;
    try {
      const page = await this.api.list(this._status, this._article, this._cursor, this._search);
      if (generation !== this._generation) return;
      this._items = [...this._items, ...this._stillHere(page.comments)];
      this._cursor = page.cursor;
    } catch (error) {
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    this._message = failureMessage(this, error);
  }

  private _count(status: Status, delta: number): void {
    if (this._counts) this._counts = { ...this._counts, [status]: Math.max(0, this._counts[status] + delta) };
  }

  /**
   * Apply an action to some comments at once: they leave the list straight away and come back,
   * with a message, if the server refuses.
   */
  private async _act(targets: ModeratedComment[], action: Status | "erase"): Promise<void> {
    if (!targets.length) return;
    if (action === "erase" && !confirm(`Delete ${targets.length === 1 ? "this comment" : `${targets.length} comments`} for good? This cannot be undone.`)) return;
    const before = this._items;
    this._leave(targets);
    this._selected = new Set();
    // An approved comment whose edit is approved from the pending tab leaves it, but was approved already.
    const moving = (list: ModeratedComment[]) => list.filter((comment) => comment.status !== action).length;
    this._count(this._status, -targets.length);
    if (action !== "erase") this._count(action, moving(targets));
    this._message = "";
    this._offerUndo(null);
    const generation = ++this._actions;
    const saving = Promise.allSettled(targets.map((comment) => (action === "erase" ? this.api.erase(comment) : this.api.update(comment, { status: action }))));
    this._saving.add(saving);
    const results = await saving.finally(() => this._saving.delete(saving));
    const failed = targets.filter((_, index) => results[index]!.status === "rejected");
    if (failed.length) {
      const back = new Set(failed.map((comment) => comment.id));
      for (const id of back) this._left.delete(id);
      // Back in their places, beside whatever list shows now (a newer one may have arrived meanwhile).
      const showing = new Set(this._items.map((comment) => comment.id));
      const items = [...this._items];
      for (const [index, comment] of before.entries()) if (back.has(comment.id) && !showing.has(comment.id)) items.splice(Math.min(index, items.length), 0, comment);
      this._items = items;
      this._count(this._status, failed.length);
      if (action !== "erase") this._count(action, -moving(failed));
      const reason = (results.find((result) => result.status === "rejected") as PromiseRejectedResult).reason;
      this._message = `${failed.length} of ${targets.length} could not be changed and ${failed.length === 1 ? "is" : "are"} back in the list: ${reason instanceof Error ? reason.message : "unknown error"}`;
    } else if (generation === this._actions) {
      // A moderator going fast: only the last action's outcome speaks (and can be undone).
      const verb = action === "erase" ? "Deleted" : action === "approved" ? "Approved" : action === "spam" ? "Marked as spam" : `Moved to ${LABELS[action].toLowerCase()}`;
      this._message = `${verb}: ${targets.length} ${targets.length === 1 ? "comment" : "comments"}.`;
      if (action !== "erase") this._offerUndo(targets);
    }
  }

  /**
   * Comments that left this tab since its list was last asked for. A list that answers after the
   * moderator acted (a slow network, a quick moderator) must not bring them back.
   */
  private _left = new Set<string>();

  private _leave(comments: ModeratedComment[]): void {
    const ids = new Set(comments.map((comment) => comment.id));
    for (const id of ids) this._left.add(id);
    this._items = this._items.filter((comment) => !ids.has(comment.id));
    this._current = Math.min(this._current, Math.max(0, this._items.length - 1));
  }

  private _stillHere(comments: ModeratedComment[]): ModeratedComment[] {
    return comments.filter((comment) => !this._left.has(comment.id));
  }

  /** Actions started so far, so that an earlier one finishing last does not speak over the latest. */
  private _actions = 0;
  /** Status changes not answered yet: a reload waits for them. */
  private readonly _saving = new Set<Promise<unknown>>();

  private _offerUndo(targets: ModeratedComment[] | null): void {
    clearTimeout(this._undoTimer);
    this._undo = targets;
    if (targets) this._undoTimer = setTimeout(() => (this._undo = null), UNDO_MS);
  }

  /** Put the comments of the last change back in the status each had, then show the list as it now is. */
  private async _undoLast(): Promise<void> {
    const targets = this._undo ?? [];
    this._offerUndo(null);
    const results = await Promise.allSettled(targets.map((comment) => this.api.update(comment, { status: comment.status })));
    const failed = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    this._message = failed.length
      ? `${failed.length} of ${targets.length} could not be restored: ${failed[0]!.reason instanceof Error ? failed[0]!.reason.message : "unknown error"}`
      : `Undone: ${targets.length} ${targets.length === 1 ? "comment is" : "comments are"} back as before.`;
    await this.reload();
  }

  /** Put the server's copy in place; a comment whose edit got settled leaves the pending tab. */
  private _replace(comment: ModeratedComment, updated: ModeratedComment): void {
    const { revision: settled, ...rest } = comment;
    if (settled && !updated.revision) {
      this._count("pending", -1);
      if (this._status === "pending") {
        this._leave([comment]);
        return;
      }
    }
    this._items = this._items.map((item) => (item.id === comment.id ? { ...rest, ...updated } : item));
  }

  private async _saveEdit(comment: ModeratedComment, body: string): Promise<void> {
    try {
      const { comment: updated } = await this.api.update(comment, { body });
      this._replace(comment, updated);
      this._editing = null;
      this._message = "Comment updated.";
    } catch (error) {
      this._fail(error);
    }
  }

  /** Publish the owner's comment (a reply under `parent`, else top-level on `article`). */
  private async _ownerComment(event: SubmitEvent, article: string, parent?: ModeratedComment): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = String(new FormData(form).get("body") ?? "").trim();
    if (!body) {
      this._message = "Write something first.";
      return;
    }
    try {
      const { approvedParent } = await this.api.ownerComment(article, body, parent?.id);
      form.reset();
      this._replying = null;
      this._message = parent ? `Reply to ${parent.author} published${approvedParent ? `, and their comment approved` : ""}.` : "Your comment is published.";
      // The comment answered was pending: it is approved now, so it leaves the Pending tab.
      if (approvedParent && this._status === "pending") {
        this._leave([approvedParent]);
        this._count("pending", -1);
        this._count("approved", 1);
      }
      // In the Approved tab it is one more comment to list.
      if (this._status === "approved") void this.reload();
      else this._count("approved", 1);
    } catch (error) {
      this._fail(error);
    }
  }

  /**
   * Block the comment's author: its network (which the comment proves) joins the block list, this
   * comment goes to spam. Its email joins only if the moderator says so, warned that nobody
   * checked it belongs to the author.
   */
  private async _block(comment: ModeratedComment): Promise<void> {
    if (!confirm(`Block ${comment.author}? New comments from the network this one came from will go straight to spam.`)) return;
    const email =
      comment.email &&
      confirm(
        `Block ${comment.email} too?\n\nThis address is not verified: anyone can type it. If it is not theirs, its real owner's comments will go to spam. Cancel blocks the network only.`,
      );
    try {
      await this.api.block(comment, Boolean(email));
      if (comment.status !== "spam") {
        this._leave([comment]);
        this._count(this._status, -1);
        this._count("spam", 1);
      }
      this._message = `Blocked ${comment.author}'s network${email ? ` and ${comment.email}` : ""}: this comment is spam, and so will their next ones be. Settings lists them.`;
    } catch (error) {
      this._fail(error);
    }
  }

  /** Publish or drop an author's edit awaiting review. */
  private async _settle(comment: ModeratedComment, decision: "approve" | "discard"): Promise<void> {
    this._message = "";
    try {
      const { comment: updated } = await this.api.update(comment, { revision: decision });
      this._replace(comment, updated);
      this._message = decision === "approve" ? "Edit approved and published." : "Edit discarded; the published text stays.";
    } catch (error) {
      this._fail(error);
    }
  }

  /** Keep keyboard moderation flowing, unless the moderator has moved focus elsewhere meanwhile. */
  private _focusCurrent(): void {
    void this.updateComplete.then(() => {
      const active = (this.renderRoot as ShadowRoot).activeElement;
      if (!active || active.matches("li.item")) this.renderRoot.querySelector<HTMLElement>(`[data-index="${this._current}"]`)?.focus();
    });
  }

  private _onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event)) return;
    const comment = this._items[this._current];
    if (event.key === "j" || event.key === "k") {
      this._current = Math.max(0, Math.min(this._items.length - 1, this._current + (event.key === "j" ? 1 : -1)));
      this._focusCurrent();
    } else if (comment?.revision && event.key === "a") {
      void this._settle(comment, "approve").then(() => this._focusCurrent());
    } else if (comment && (event.key === "a" || event.key === "s") && comment.status !== (event.key === "a" ? "approved" : "spam")) {
      void this._act([comment], event.key === "a" ? "approved" : "spam").then(() => this._focusCurrent());
    } else if (comment && event.key === "d") {
      void this._act([comment], "erase").then(() => this._focusCurrent());
    } else return;
    event.preventDefault();
  }

  private _switch(status: Status): void {
    this._status = status;
    this._editing = null;
    // A message about the last tab's comments would read as news about this one.
    this._message = "";
    this._offerUndo(null);
    void this.reload();
  }

  /** Arrow keys, Home and End move between tabs, as in any tab list. */
  private _onTabKey(event: KeyboardEvent): void {
    const index = STATUSES.indexOf(this._status);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: STATUSES.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    this._switch(STATUSES[(next + STATUSES.length) % STATUSES.length]!);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this._status}`)?.focus());
  }

  private _toggle(id: string, on: boolean): void {
    const next = new Set(this._selected);
    if (on) next.add(id);
    else next.delete(id);
    this._selected = next;
  }

  protected override render() {
    const selected = this._items.filter((comment) => this._selected.has(comment.id));
    const all = this._items.length > 0 && selected.length === this._items.length;
    return html`
      <div role="tablist" aria-label="Comments by status" @keydown=${this._onTabKey}>
        ${STATUSES.map(
          (status) => html`<button role="tab" id="tab-${status}" aria-selected=${this._status === status} tabindex=${this._status === status ? 0 : -1} aria-controls="panel" @click=${() => this._switch(status)}>
            ${LABELS[status]}<span class="count">&nbsp;(${this._counts?.[status] ?? "…"})</span>
          </button>`,
        )}
      </div>
      <div role="tabpanel" id="panel" aria-labelledby="tab-${this._status}">
        <form class="inline" role="search" aria-label="Filter by article" @submit=${(event: SubmitEvent) => {
          event.preventDefault();
          this._article = String(new FormData(event.target as HTMLFormElement).get("article") ?? "").trim();
          void this.reload();
        }}>
          <label for="article-filter">Article</label>
          <input id="article-filter" name="article" .value=${this._article} placeholder="/2024/05/my-post/" />
          <button>Filter</button>
          ${this._article ? html`<button type="button" @click=${() => ((this._article = ""), this.reload())}>Show all articles</button>` : nothing}
        </form>
        <form class="inline" role="search" aria-label="Search comments" @submit=${(event: SubmitEvent) => {
          event.preventDefault();
          this._search = String(new FormData(event.target as HTMLFormElement).get("q") ?? "").trim();
          void this.reload();
        }}>
          <label for="search">Search</label>
          <input id="search" name="q" type="search" maxlength="200" .value=${this._search} placeholder="Text, author or email" />
          <button>Search</button>
          ${this._search ? html`<button type="button" @click=${() => ((this._search = ""), this.reload())}>Clear search</button>` : nothing}
        </form>
        ${this._article
          ? html`<form class="owner" aria-label="Comment as the author" @submit=${(event: SubmitEvent) => this._ownerComment(event, this._article)}>
              <label for="owner-comment">Your comment on ${this._article}, published at once as the author</label>
              <textarea id="owner-comment" name="body" maxlength="5000"></textarea>
              <div class="actions"><button class="primary">Publish comment</button></div>
            </form>`
          : nothing}
        <div class="toolbar" aria-label="Selected comments">
          <label><input type="checkbox" .checked=${all} ?disabled=${!this._items.length} @change=${(event: Event) => (this._selected = new Set((event.target as HTMLInputElement).checked ? this._items.map((c) => c.id) : []))} /> Select all</label>
          <span>${selected.length} selected</span>
          ${actionsIn(this._status).map(
            (action) => html`<button ?disabled=${!selected.length} @click=${() => this._act(selected, action.status)}>${action.label} selected</button>`,
          )}
          <button class="danger" ?disabled=${!selected.length} @click=${() => this._act(selected, "erase")}>Delete selected</button>
        </div>
        <p class="legend">
          Shortcuts: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>a</kbd> approve, <kbd>s</kbd> spam, <kbd>d</kbd> delete for good.
        </p>
        <div class="status-line">
          <p class="message" role="status">${this._message}</p>
          ${this._undo ? html`<button @click=${this._undoLast}>Undo</button>` : nothing}
        </div>
        ${this._loading && !this._items.length
          ? html`<p>Loading…</p>`
          : this._items.length
            ? html`<ol class="queue" aria-label="${LABELS[this._status]} comments">${this._items.map((comment, index) => this._item(comment, index))}</ol>`
            : html`<p>No ${LABELS[this._status].toLowerCase()} comments${this._article ? " on this article" : ""}${this._search ? ` matching “${this._search}”${this._cursor ? " so far" : ""}` : ""}.</p>`}
        ${this._cursor ? html`<button @click=${this._more}>${this._search ? "Keep searching" : "Load more"}</button>` : nothing}
      </div>
    `;
  }

  private _item(comment: ModeratedComment, index: number) {
    const website = comment.website && /^https?:\/\//.test(comment.website) ? comment.website : undefined;
    return html`<li class="item ${index === this._current ? "current" : ""}" tabindex="-1" data-index=${index} aria-labelledby="by-${comment.id}" @focus=${() => (this._current = index)}>
      <input type="checkbox" aria-label="Select the comment by ${comment.author}" .checked=${this._selected.has(comment.id)} @change=${(event: Event) => this._toggle(comment.id, (event.target as HTMLInputElement).checked)} />
      <div>
        <div class="meta">
          <strong id="by-${comment.id}">${comment.author}</strong>
          ${comment.owner ? html`<span class="badge">Author</span>` : nothing}
          ${comment.email ? html`<a href="mailto:${comment.email}">${comment.email}</a>` : nothing}
          ${website ? html`<a href=${website} rel="nofollow noopener noreferrer" target="_blank">${website}</a>` : nothing}
          <time datetime=${comment.createdAt}>${new Date(comment.createdAt).toLocaleString()}</time>
          ${comment.editedAt ? html`<span>${comment.editedBy === "moderator" ? "edited by a moderator" : "edited by the author"}</span>` : nothing}
          <span>on <button class="link" title="Show only this article" @click=${() => ((this._article = comment.article), this.reload())}>${comment.article}</button></span>
        </div>
        ${comment.replyTo ? html`<p class="context">In reply to ${comment.replyTo.author}: “${comment.replyTo.excerpt}”</p>` : nothing}
        ${this._editing === comment.id
          ? html`<form @submit=${(event: SubmitEvent) => {
              event.preventDefault();
              void this._saveEdit(comment, String(new FormData(event.target as HTMLFormElement).get("body")));
            }}>
              <label class="visually-hidden" for="edit-${comment.id}">Comment text</label>
              <textarea id="edit-${comment.id}" name="body" .value=${comment.revision?.body ?? comment.body}></textarea>
              <div class="actions"><button class="primary">Save</button><button type="button" @click=${() => (this._editing = null)}>Cancel</button></div>
            </form>`
          : comment.revision
            ? html`<dl class="revision">
                <dt>Published text</dt>
                <dd class="body">${comment.body}</dd>
                <dt>Edit awaiting review, <time datetime=${comment.revision.at}>${new Date(comment.revision.at).toLocaleString()}</time></dt>
                <dd class="body">${comment.revision.body}</dd>
              </dl>`
            : html`<p class="body">${comment.body}</p>`}
        <div class="actions">
          ${comment.revision
            ? html`<button @click=${() => this._settle(comment, "approve")}>Approve edit</button>
                <button @click=${() => this._settle(comment, "discard")}>Discard edit</button>`
            : nothing}
          ${(this._editing === comment.id ? [] : actionsIn(this._status).filter((action) => action.status !== comment.status)).map(
            (action) => html`<button @click=${() => this._act([comment], action.status)}>${action.label}</button>`,
          )}
          ${comment.status === "approved" || comment.status === "pending"
            ? html`<button aria-expanded=${this._replying === comment.id} @click=${() => (this._replying = this._replying === comment.id ? null : comment.id)}>Reply</button>`
            : nothing}
          <button @click=${() => (this._editing = comment.id)}>Edit</button>
          <button class="danger" @click=${() => this._act([comment], "erase")}>Delete</button>
          ${comment.owner ? nothing : html`<button class="danger" @click=${() => this._block(comment)}>Block this author</button>`}
        </div>
        ${this._replying === comment.id
          ? html`<form class="owner" @submit=${(event: SubmitEvent) => this._ownerComment(event, comment.article, comment)}>
              <label for="reply-${comment.id}">Your reply to ${comment.author}, published at once as the author${comment.status === "pending" ? " (it approves their comment too)" : ""}</label>
              <textarea id="reply-${comment.id}" name="body" maxlength="5000"></textarea>
              <div class="actions"><button class="primary">Publish reply</button><button type="button" @click=${() => (this._replying = null)}>Cancel</button></div>
            </form>`
          : nothing}
      </div>
    </li>`;
  }
}
