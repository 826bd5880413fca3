import { DurableObject } from "cloudflare:workers";
import type { CountChange } from "../comments/counts";
import { commentKeys } from "../comments/keys";
import type { StoredComment } from "../comments/model";
import type { ThreadHead } from "../comments/thread";
import { writeGapMs } from "../coordination/turns";
import { isQuotaError } from "../http/errors";
import { SETTLE_MS } from "../lib/consistency";
import { budgetedKv, KV_OPERATIONS_PER_INVOCATION } from "../lib/kv";
import type { Changed, CommentChange, CommentDesk, Imported, ParentRule, Posted } from "./comment-desk";
import { objectEnv } from "./object-env";
import { Outbox } from "./outbox";
import { RecordTurns } from "./record-turns";
import { Refusal, type Outcome } from "./refusal";
import type { ThreadState } from "./thread-state";

/** The thread's code, loaded on a writer's first change (see thread-work.ts). */
const threadWork = () => import("./thread-work");

/** Which article a call is about: its public id (the KV keys) and its id as the site names it. */
export interface ArticleRef {
  a: string;
  article: string;
}

export interface RepairOutcome {
  /** The thread differed from its comments and was laid out again. */
  rebuilt: boolean;
  /** Changed too lately for a listing to show it all: try again later. */
  busy: boolean;
}

/** KV operations one call may make, short of the platform's 1,000 per invocation. */
const CALL_BUDGET = KV_OPERATIONS_PER_INVOCATION - 10;
/** When the thread was last changed, kept so a repair never overwrites what a listing cannot show yet. */
const CHANGED_AT = "changedAt";

/**
 * One article's writer: the single owner of its shared state in KV (the thread head and pages).
 * A request checks, hashes and authorises at the edge, then makes one call here; the writer
 * applies changes one at a time on the current state, writes the comment's own keys before it
 * answers, keeps the thread in its own storage (so nothing acknowledged is lost to an eviction),
 * and writes the thread's keys to KV at most once per key and turn, a burst's changes together.
 * Being the only writer, it never reads back another location's writes, and nothing waits for the cron.
 */
export class ArticleWriter extends DurableObject<Env> {
  private readonly outbox = new Outbox(this.ctx.storage, () => this.gapMs);
  private readonly turns = new RecordTurns(() => this.gapMs);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(() => this.outbox.load());
  }

  /**
   * The bindings of the latest call, which the alarm writes through too: deployed, always the
   * Worker's own; under test, those of the site (KV model) the writes were owed to.
   */
  private bindings: Env = objectEnv(this.env);

  private get gapMs(): number {
    return writeGapMs(this.bindings);
  }

  postComment(ref: ArticleRef, comment: StoredComment, parentRule: ParentRule): Promise<Outcome<Posted>> {
    return this.change(ref, (desk, now) => desk.post(comment, parentRule, now));
  }

  changeComment(ref: ArticleRef, id: string, change: CommentChange): Promise<Outcome<Changed>> {
    return this.change(ref, (desk, now) => desk.change(id, change, now));
  }

  importComments(ref: ArticleRef, comments: StoredComment[]): Promise<Outcome<Imported>> {
    return this.change(ref, (desk, now) => desk.import(comments, now));
  }

  /**
   * The cron's repair: lay the thread out again from the comments themselves, when what readers
   * get (the head in KV) or what the writer holds differs from them. Left for later while the
   * writer changed the thread within the time a listing may lag. `asOf` is the cron run's time.
   */
  repairThread(ref: ArticleRef, asOf: number): Promise<Outcome<RepairOutcome>> {
    return this.serially(ref, async (kv, clock) => {
      const now = Math.max(clock, asOf);
      const changedAt = (await this.ctx.storage.get<number>(CHANGED_AT)) ?? 0;
      if (now - changedAt < SETTLE_MS) return { rebuilt: false, busy: true };
      const { headOf, layoutThread, listPublished, ThreadState } = await threadWork();
      const published = await listPublished(kv, ref.a);
      const thread = await ThreadState.open(this.ctx.storage, kv, ref.a, ref.article);
      const pages = layoutThread(published);
      const shown = await kv.get<ThreadHead>(commentKeys.head(ref.a), "json");
      const article = shown?.article || ref.article;
      if (JSON.stringify(shown) === JSON.stringify(headOf(article, pages)) && JSON.stringify(await thread.layout()) === JSON.stringify(pages)) return { rebuilt: false, busy: false };
      thread.replaceAll(pages, { legacy: shown !== null && shown.pages === undefined });
      await this.keep(thread, now, false);
      return { rebuilt: true, busy: false };
    });
  }

  /** The thread's keys whose turn has come (after an eviction or a failed write too). */
  override async alarm(): Promise<void> {
    await this.outbox.pay(this.bindings.PLAUDIT, CALL_BUDGET);
    await this.schedule();
  }

  private change<T>(ref: ArticleRef, apply: (desk: CommentDesk, now: number) => Promise<T>): Promise<Outcome<T>> {
    return this.serially(ref, async (kv, now) => {
      const secret = this.bindings.HASH_SECRET;
      if (!secret) throw new Refusal({ status: 503, code: "not_configured", message: "The HASH_SECRET secret is not set." });
      const { CommentDesk, reportCountChange, ThreadState } = await threadWork();
      const thread = await ThreadState.open(this.ctx.storage, kv, ref.a, ref.article);
      const counted: CountChange = {};
      // Sent even when the call fails half-way: what was written counts.
      const result = await apply(new CommentDesk({ kv, storage: this.ctx.storage, a: ref.a, secret, turns: this.turns, thread, counted }), now).finally(() => reportCountChange(this.bindings, counted));
      await this.keep(thread, now, true);
      return result;
    });
  }

  /** Keep a changed thread in storage and owe KV its keys, before anyone is answered. */
  private async keep(thread: ThreadState, now: number, byChange: boolean): Promise<void> {
    if (!thread.changed) return;
    await this.outbox.owe(await thread.owed(now));
    await thread.save();
    if (byChange) await this.ctx.storage.put(CHANGED_AT, now);
  }

  /**
   * Changes run one at a time, each on the state the one before left. The views owed are written
   * at once when their turn is free (a lone change shows as it is answered), else by the alarm.
   */
  private async serially<T>(ref: ArticleRef, task: (kv: KVNamespace, now: number) => Promise<T>): Promise<Outcome<T>> {
    this.bindings = objectEnv(this.env);
    const { kv, left } = budgetedKv(this.bindings.PLAUDIT, CALL_BUDGET);
    const run = this.queue.then(() => task(kv, Date.now()));
    this.queue = run.catch(() => {});
    let outcome: Outcome<T>;
    try {
      outcome = { ok: await run };
    } catch (error) {
      if (error instanceof Refusal) return { refused: error.body };
      console.error(`The writer of ${ref.article} could not make a change`, error);
      return { refused: isQuotaError(error) ? { status: 503, code: "storage_quota_exceeded", message: "This site has used up today's storage allowance, so it cannot save changes until midnight UTC. Reading still works." } : { status: 503, code: "storage_unavailable", message: "Storage is temporarily unavailable. Please try again in a moment." } };
    }
    const due = this.outbox.dueAt();
    if (due !== null && due <= Date.now()) await this.outbox.pay(kv, left());
    await this.schedule();
    return outcome;
  }

  private async schedule(): Promise<void> {
    const due = this.outbox.dueAt();
    if (due === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > due) await this.ctx.storage.setAlarm(due);
  }
}
