/**
 * A Durable Object namespace as the Worker sees it, in one process: one instance per name, created
 * on first use, whose methods are called as RPC (always asynchronous). Requests to it are counted,
 * because Durable Objects are billed (and, on the Free plan, capped) per request.
 */
export class SimulatedDurableObjects<T extends object> {
  requests = 0;
  private readonly instances = new Map<string, T>();

  constructor(
    private readonly create: () => T,
    /** Runs each call (an invocation of the object): the engine gives it a KV invocation of its own. */
    private readonly around: <R>(call: () => Promise<R>) => Promise<R> = (call) => call(),
  ) {}

  idFromName(name: string): DurableObjectId {
    return { name, toString: () => name, equals: (other: DurableObjectId) => other.name === name } as DurableObjectId;
  }

  get(id: DurableObjectId): T {
    const name = id.name!;
    let instance = this.instances.get(name);
    if (!instance) this.instances.set(name, (instance = this.create()));
    const target = instance;
    // Each call is one request to the object, answered after the caller's turn of the event loop,
    // with its arguments and result copied as RPC does: neither side can change the other's objects.
    return new Proxy(target, {
      get: (object, property) => {
        const value = Reflect.get(object, property);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          this.requests += 1;
          const sent = structuredClone(args);
          await Promise.resolve();
          return structuredClone(await this.around(() => Reflect.apply(value, object, sent) as Promise<unknown>));
        };
      },
    });
  }
}
