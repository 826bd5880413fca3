/** The moderation API as the admin page uses it; every call carries the moderator's token. */
import type { ModerationComment, Status } from "../../worker/comments/model";
import type { RatingSummary } from "../../worker/ratings/model";
import type { ListedRating, RatingsPage, RatingsSort } from "../../worker/admin/ratings-page";
import type { BlockList, SiteSettings } from "../../worker/settings/model";
import type { ListedFeedback } from "../../worker/feedback/model";
import { articleSegment } from "./article-segment";

export { STATUSES } from "../../worker/comments/model";
export type { BlockList, ListedFeedback, ListedRating, RatingSummary, RatingsSort, SiteSettings, Status };
export type ModeratedComment = ModerationComment;

/** Server messages quote names in `backticks` for developers; a moderator reads plain sentences. */
function plain(message: unknown): string | undefined {
  return typeof message === "string" && message ? message.replaceAll("`", "") : undefined;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a view shows when a request fails: the server's message. A 401 also tells /admin to sign
 * out (the token was revoked). Anything but an AdminError is a bug and is thrown on.
 */
export function failureMessage(view: HTMLElement, error: unknown): string {
  if (!(error instanceof AdminError)) throw error;
  if (error.status === 401) view.dispatchEvent(new CustomEvent("plaudit-signed-out", { bubbles: true, composed: true }));
  return error.message;
}

/**
 * A small change is sent with `keepalive`, so it still lands when the moderator reloads or leaves
 * the page while it saves: the queue drops an item before the server answers. Browsers refuse a
 * keepalive request past their caps (64 KiB of bodies in flight; Chromium also 256 requests a
 * tab), and a refused one would be a failed change: a bulk action on hundreds of comments sends
 * the rest as ordinary requests. A long edit is never sent with it.
 */
const KEEPALIVE_BODY_BYTES = 1024;
const KEEPALIVE_IN_FLIGHT = 32;

export class AdminApi {
  constructor(private readonly token: string) {}

  private keptAlive = 0;

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    const json = body === undefined ? undefined : JSON.stringify(body);
    const keepalive = method !== "GET" && new TextEncoder().encode(json ?? "").length <= KEEPALIVE_BODY_BYTES && this.keptAlive < KEEPALIVE_IN_FLIGHT;
    if (keepalive) this.keptAlive++;
    try {
      response = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, ...(json === undefined ? {} : { "Content-Type": "application/json" }) },
        body: json,
        keepalive,
      });
    } catch {
      throw new AdminError(0, "Could not reach the server. Check your connection and try again.");
    } finally {
      if (keepalive) this.keptAlive--;
    }
    if (!response.ok) {
      const error = await response.json().catch(() => null);
      throw new AdminError(response.status, plain(error?.error?.message) ?? `The server answered ${response.status}.`);
    }
    return response;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.call(method, path, body)).json();
  }

  /** Exact counts per status. */
  counts(): Promise<{ comments: Record<Status, number> }> {
    return this.json("GET", "/api/v1/admin/counts");
  }

  /** A page of the queue; with `search`, only comments whose text, author or email contains it. */
  list(status: Status, article: string, cursor: string | null, search = ""): Promise<{ comments: ModeratedComment[]; cursor: string | null }> {
    const query = new URLSearchParams({ status, limit: "50" });
    if (article) query.set("article", article);
    if (search) query.set("q", search);
    if (cursor) query.set("cursor", cursor);
    return this.json("GET", `/api/v1/admin/comments?${query}`);
  }

  /** A status, a moderator's text, or a decision on the author's edit awaiting review. */
  update(comment: ModeratedComment, change: { status?: Status; body?: string; revision?: "approve" | "discard" }): Promise<{ comment: ModeratedComment }> {
    return this.json("PATCH", `/api/v1/admin/comments/${articleSegment(comment.article)}/${comment.id}`, change);
  }

  /** The site owner's comment on an article, or reply to a comment (approving it if pending): published at once. */
  ownerComment(article: string, body: string, parentId?: string): Promise<{ comment: ModeratedComment; approvedParent?: ModeratedComment }> {
    return this.json("POST", `/api/v1/admin/articles/${articleSegment(article)}/comments`, parentId ? { body, parentId } : { body });
  }

  feedback(cursor: string | null): Promise<{ feedback: ListedFeedback[]; cursor: string | null }> {
    return this.json("GET", `/api/v1/admin/feedback${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
  }

  async deleteFeedback(id: string): Promise<void> {
    await this.call("DELETE", `/api/v1/admin/feedback/${id}`);
  }

  /** Delete up to 100 answers in one request. */
  deleteFeedbacks(ids: string[]): Promise<{ deleted: number }> {
    return this.json("POST", "/api/v1/admin/feedback/delete", { ids });
  }

  settings(): Promise<SiteSettings> {
    return this.json("GET", "/api/v1/admin/settings");
  }

  saveSettings(settings: SiteSettings): Promise<SiteSettings> {
    return this.json("PUT", "/api/v1/admin/settings", settings);
  }

  /** Block the comment's author (its network; its unverified email only when asked) and mark the comment spam. */
  block(comment: ModeratedComment, email = false): Promise<{ blockList: BlockList; comment: ModeratedComment }> {
    return this.json("POST", `/api/v1/admin/comments/${articleSegment(comment.article)}/${comment.id}/block`, email ? { email } : undefined);
  }

  async erase(comment: ModeratedComment): Promise<void> {
    await this.call("DELETE", `/api/v1/admin/comments/${articleSegment(comment.article)}/${comment.id}`);
  }

  async rating(article: string): Promise<RatingSummary> {
    const response = await fetch(`/api/v1/articles/${encodeURIComponent(article)}`, { cache: "no-store" });
    if (!response.ok) throw new AdminError(response.status, plain((await response.json().catch(() => null))?.error?.message) ?? "That article id is not valid.");
    return (await response.json()).rating;
  }

  ratings(sort: RatingsSort, cursor: string | null): Promise<RatingsPage> {
    const query = new URLSearchParams({ sort });
    if (cursor) query.set("cursor", cursor);
    return this.json("GET", `/api/v1/admin/ratings?${query}`);
  }

  async resetVotes(article: string): Promise<void> {
    await this.call("DELETE", `/api/v1/admin/articles/${articleSegment(article)}/votes`);
  }

  /** The whole export as one file: the Worker sends a big site in pages, each ending with where the next starts. */
  async exportAll(): Promise<Blob> {
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const response: Response = await this.call("GET", `/api/v1/admin/export${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
      const lines = (await response.text()).split("\n").filter(Boolean);
      const last = lines.length ? (JSON.parse(lines[lines.length - 1]!) as { type?: string; cursor?: string }) : null;
      cursor = last?.type === "continue" ? last.cursor! : null;
      pages.push(`${(cursor ? lines.slice(0, -1) : lines).join("\n")}\n`);
    } while (cursor);
    return new Blob(pages, { type: "application/x-ndjson" });
  }
}
