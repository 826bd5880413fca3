/**
 * The write coordinator's namespace, counting the requests made to its objects (the bench reports
 * them beside KV operations).
 */
export function countingSlots(namespace: Env["WRITE_SLOTS"]) {
  let requests = 0;
  const counted = {
    idFromName: (name: string) => namespace.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = namespace.get(id);
      return new Proxy(stub, {
        get(target, property) {
          const value = Reflect.get(target, property);
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            requests += 1;
            // Not value.apply(...): on an RPC stub, `apply` is one more remote method, so that
            // would call a method named "apply" on the object and fail to send the stub along.
            return Reflect.apply(value, target, args);
          };
        },
      });
    },
  } as unknown as Env["WRITE_SLOTS"];
  return { namespace: counted, requests: () => requests };
}
