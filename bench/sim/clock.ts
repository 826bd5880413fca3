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
