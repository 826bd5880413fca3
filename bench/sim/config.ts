import type { RateLimitConfig } from "./ratelimit";

/** What the simulation takes from wrangler.toml, so it follows bindings and crons as they change. */
export interface WorkerConfig {
  vars: Record<string, string>;
  ratelimits: RateLimitConfig[];
  crons: string[];
  kvBinding: string;
  durableObjects: { name: string; className: string }[];
}

/** Read wrangler.toml with wrangler's own config reader. */
export async function readWorkerConfig(path: string): Promise<WorkerConfig> {
  const { unstable_readConfig } = await import("wrangler");
  const config = unstable_readConfig({ config: path }, { hideWarnings: true });
  const kv = config.kv_namespaces ?? [];
  if (kv.length !== 1) throw new Error(`Expected one KV namespace in ${path}, found ${kv.length}`);
  return {
    vars: Object.fromEntries(Object.entries(config.vars ?? {}).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)])),
    ratelimits: (config.ratelimits ?? []).map((binding: RateLimitConfig) => ({
      name: binding.name,
      namespace_id: String(binding.namespace_id),
      simple: { limit: binding.simple.limit, period: binding.simple.period },
    })),
    crons: config.triggers?.crons ?? [],
    kvBinding: kv[0]!.binding,
    durableObjects: (config.durable_objects?.bindings ?? []).map((binding: { name: string; class_name: string }) => ({ name: binding.name, className: binding.class_name })),
  };
}
