/**
 * The part of the `cloudflare:workers` module the Worker imports, for running it in Node: the
 * Durable Object base class keeps its state and env as workerd's does.
 */
export class DurableObject<E = unknown> {
  constructor(
    protected readonly ctx: DurableObjectState,
    protected readonly env: E,
  ) {}
}
