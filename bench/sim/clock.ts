/**
 * The simulation's virtual clock. While installed, `Date.now()` and `new Date()` (no arguments)
 * read it, so the Worker's own timestamps follow simulated time; performance.now() stays real,
 * because it measures the Worker's CPU time.
 */
export class VirtualClock {
  constructor(public now: number) {}

  advanceTo(at: number): void {
    if (at > this.now) this.now = at;
  }
}

const RealDate = Date;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Timers set by the Worker (the cron's waits between hot recounts), fired in simulated time. */
export class VirtualTimers {
  private queue: { at: number; id: number; fn: () => void }[] = [];
  private nextId = 1;

  constructor(private readonly clock: VirtualClock) {}

  private waiting: (() => void)[] = [];

  /** Resolves when the next timer is set. */
  armed(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Forget the requests that finished without setting a timer, so they are not held for the day. */
  disarm(): void {
    this.waiting = [];
  }

  set(fn: () => void, ms: number): number {
    const id = this.nextId++;
    for (const resolve of this.waiting.splice(0)) resolve();
    this.queue.push({ at: this.clock.now + Math.max(0, ms), id, fn });
    this.queue.sort((x, y) => x.at - y.at || x.id - y.id);
    return id;
  }

  clear(id: number): void {
    this.queue = this.queue.filter((timer) => timer.id !== id);
  }

  /** When the earliest timer is due, if any. */
  next(): number | undefined {
    return this.queue[0]?.at;
  }

  /** Fire the earliest timer, moving the clock to its time. */
  fireNext(): void {
    const timer = this.queue.shift();
    if (!timer) return;
    this.clock.advanceTo(timer.at);
    timer.fn();
  }
}

/** Let work woken by a timer run until it waits again (in-memory KV settles in a few turns). */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

export function installTimers(timers: VirtualTimers): () => void {
  globalThis.setTimeout = ((fn: () => void, ms?: number) => timers.set(fn, ms ?? 0)) as unknown as typeof setTimeout;
  globalThis.clearTimeout = ((id: number) => timers.clear(id)) as unknown as typeof clearTimeout;
  return () => {
    globalThis.setTimeout = realSetTimeout;
    globalThis.clearTimeout = realClearTimeout;
  };
}

export function installClock(clock: VirtualClock): () => void {
  class SimulatedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.now);
      else super(...(args as [number]));
    }

    static override now(): number {
      return clock.now;
    }
  }
  globalThis.Date = SimulatedDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}
