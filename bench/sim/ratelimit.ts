/**
 * Workers Rate Limiting bindings as Cloudflare documents them
 * (developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit): `limit` calls per key per
 * `period` (10 or 60 s), counted separately in each Cloudflare location. Modelled as a fixed window
 * aligned to the period; a refused call still counts, and counters never cross locations.
 */
export interface RateLimitConfig {
  name: string;
  namespace_id: string;
  simple: { limit: number; period: number };
}

export class SimulatedRateLimits {
  private readonly counters = new Map<string, number>();
  private window = -1;
  refused = 0;

  constructor(
    private readonly configs: RateLimitConfig[],
    private readonly clock: () => number,
  ) {}

  private readonly byLocation = new Map<string, Record<string, RateLimit>>();

  /** The bindings as one invocation at `location` sees them (the same objects for every invocation there). */
  bindings(location: string): Record<string, RateLimit> {
    let bindings = this.byLocation.get(location);
    if (!bindings) {
      bindings = Object.fromEntries(this.configs.map((config) => [config.name, { limit: async ({ key }: RateLimitOptions) => this.limit(config, location, key) }]));
      this.byLocation.set(location, bindings);
    }
    return bindings;
  }

  private limit(config: RateLimitConfig, location: string, key: string): RateLimitOutcome {
    const { limit, period } = config.simple;
    const now = this.clock();
    const window = Math.floor(now / (period * 1000));
    // Windows only move forward: drop every counter once the longest period has passed.
    if (Math.floor(now / 60_000) !== this.window) {
      this.window = Math.floor(now / 60_000);
      this.counters.clear();
    }
    const counter = `${config.namespace_id}|${location}|${key}|${period}|${window}`;
    const count = (this.counters.get(counter) ?? 0) + 1;
    this.counters.set(counter, count);
    if (count > limit) this.refused += 1;
    return { success: count <= limit };
  }
}
