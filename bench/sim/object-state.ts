/**
 * A Durable Object's state as the Worker's objects use it, in memory: transactional-storage calls
 * (get, put, delete, list; values copied as workerd's storage does) and one alarm, which fires on
 * the simulation's virtual clock (setTimeout is the simulator's there).
 */
export function simulatedObjectState(onAlarm: () => Promise<void>): DurableObjectState {
  const data = new Map<string, unknown>();
  let alarmAt: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const copy = <T>(value: T): T => structuredClone(value);

  const storage = {
    async get(key: string | string[]) {
      if (Array.isArray(key)) return new Map(key.filter((name) => data.has(name)).map((name) => [name, copy(data.get(name))]));
      return copy(data.get(key));
    },
    async put(key: string | Record<string, unknown>, value?: unknown) {
      const entries = typeof key === "string" ? { [key]: value } : key;
      for (const [name, entry] of Object.entries(entries)) data.set(name, copy(entry));
    },
    async delete(key: string | string[]) {
      if (Array.isArray(key)) return key.filter((name) => data.delete(name)).length;
      return data.delete(key);
    },
    async list(options: { prefix?: string } = {}) {
      const names = [...data.keys()].filter((name) => name.startsWith(options.prefix ?? "")).sort();
      return new Map(names.map((name) => [name, copy(data.get(name))]));
    },
    async getAlarm() {
      return alarmAt;
    },
    async setAlarm(at: number | Date) {
      alarmAt = typeof at === "number" ? at : at.getTime();
      clearTimeout(timer);
      timer = setTimeout(() => {
        alarmAt = null;
        void onAlarm();
      }, Math.max(0, alarmAt - Date.now()));
    },
  };
  return { storage, blockConcurrencyWhile: async <T>(task: () => Promise<T>) => task(), waitUntil: () => {} } as unknown as DurableObjectState;
}
