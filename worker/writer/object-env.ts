/**
 * The bindings an article's writer works with: deployed, the Worker's own (its KV namespace, its
 * write gap, its secret). The test suites and the simulator run several sites (KV models, settings)
 * in one process and point the writer at those of the calling request: the only reason this is
 * not simply the object's `env`.
 */
type Resolve = (env: Env) => Env;

let resolve: Resolve = (env) => env;

export const objectEnv = (env: Env): Env => resolve(env);

export function resolveObjectEnv(next: Resolve | null): void {
  resolve = next ?? ((env) => env);
}
