import { StorageUnavailable } from "../http/errors";
import { untilTurn } from "./until-turn";
import { WRITE_GAP_MS, type WriteSlots } from "./write-slots";

export { untilTurn };

/**
 * How a request waits for its turn to write an article's shared keys. "now": only if nobody else
 * is writing them this second (a best-effort write, such as a vote's aggregate, goes to the cron
 * instead); "wait": until the keys are free, up to MAX_WAIT_MS.
 */
export type TurnMode = "now" | "wait";

/** A request waits this long at most for its turn (three turns); past it, the caller falls back. */
export const MAX_WAIT_MS = 5_000;

const COORDINATOR = Symbol("write coordinator");

/** Once: the request only needs its entry written once within `windowMs` by anybody. */
type Once = { entry: string; windowMs: number };

/** Where a request asks for turns: the object of a group (an article's public id, or a site-wide key). */
export interface Coordinator {
  slot: (group: string) => DurableObjectStub<WriteSlots>;
  /** Time between two writes of one key (0 in tests against a KV without the limit). */
  gapMs: number;
}

/** The KV_WRITE_GAP_MS var: tests against a KV without the per-key write limit (miniflare's) set it to 0. */
export function writeGapMs(env: Pick<Env, "KV_WRITE_GAP_MS">): number {
  const gap = Number(env.KV_WRITE_GAP_MS);
  return env.KV_WRITE_GAP_MS && Number.isInteger(gap) && gap >= 0 ? gap : WRITE_GAP_MS;
}

/** A KV binding that knows where to ask for write turns (see takeWriteTurn). Without the coordinator, the binding as it is. */
export function withWriteTurns(kv: KVNamespace, slots: DurableObjectNamespace<WriteSlots> | undefined, gapMs = WRITE_GAP_MS): KVNamespace {
  if (!slots) return kv;
  const coordinator: Coordinator = { slot: (group) => slots.get(slots.idFromName(group)), gapMs };
  return new Proxy(kv, {
    get(target, property) {
      if (property === COORDINATOR) return coordinator;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The coordinator a KV binding was given by withWriteTurns, if any. */
export const coordinatorOf = (kv: KVNamespace) => (kv as KVNamespace & { [COORDINATOR]?: Coordinator })[COORDINATOR];


async function turns(kv: KVNamespace, group: string, keys: string[], mode: TurnMode, once?: Once): Promise<boolean> {
  const coordinator = coordinatorOf(kv);
  if (!coordinator) return true;
  const { gapMs } = coordinator;
  let at: number | null;
  try {
    const slot = coordinator.slot(group);
    const maxWaitMs = mode === "now" ? 0 : MAX_WAIT_MS;
    at = await (once ? slot.reserveOnce(once.entry, once.windowMs, keys, maxWaitMs, gapMs) : slot.reserve(keys, maxWaitMs, gapMs));
  } catch {
    // The coordinator is unreachable: write as if it did not exist (KV refuses a collision itself).
    return true;
  }
  if (at === null) return false;
  await untilTurn(at);
  return true;
}

/**
 * Wait for the turn to write `keys` of `article` (its public id). True when the caller may write
 * now; false in "now" mode when someone else is writing them, and for "wait" when the queue is
 * longer than MAX_WAIT_MS. Take the turn before reading what is about to be rewritten, so the read
 * sees the write of the turn before.
 */
export async function takeWriteTurn(kv: KVNamespace, article: string, keys: string[], mode: TurnMode): Promise<boolean> {
  return turns(kv, article, keys, mode);
}

/** Wait for the turn to write `keys` of `group`; a queue longer than MAX_WAIT_MS answers 503 (retry later). */
export async function waitForTurn(kv: KVNamespace, group: string, keys: string[]): Promise<void> {
  if (!(await takeWriteTurn(kv, group, keys, "wait"))) throw new StorageUnavailable(new Error(`Too many changes to ${keys.join(", ")} at once.`));
}

/**
 * The turn to add `entry` to a site-wide key that many requests may want to add the same entry to
 * at once: false when somebody got that turn within `windowMs` (nothing to write then) or the
 * queue is too long. Without a coordinator, always true.
 */
export async function takeTurnOnce(kv: KVNamespace, key: string, entry: string, windowMs: number): Promise<boolean> {
  return turns(kv, key, [key], "wait", { entry, windowMs });
}
