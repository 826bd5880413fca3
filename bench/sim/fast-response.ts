/**
 * Node's Response keeps every body in a web ReadableStream, and Hono moves each response into a
 * new Response (cors touches c.res first) and the etag middleware clones it: in Node that stream
 * machinery cost more per page view than the Worker's own work, where workerd does it natively.
 * While installed, a Response made from a string keeps the string: text() and json() read it,
 * clone() copies it, and a stream is made only when someone asks for `.body` (which is then the
 * body from there on). Same status, headers and bytes out; anything else is Node's Response.
 */
import * as nodeStream from "node:stream";

/** Read from or cancelled (what Node's own Response checks; missing from @types/node 20). */
const isDisturbed = (nodeStream as unknown as { isDisturbed(stream: ReadableStream): boolean }).isDisturbed;

type Init = ResponseInit | Response | undefined;

/** Node's Response, typed with just what is overridden here (`body` and `bodyUsed` are its getters). */
interface NodeResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  blob(): Promise<Blob>;
  formData(): Promise<FormData>;
  bytes(): Promise<Uint8Array>;
  clone(): Response;
}
const RealResponse = globalThis.Response as unknown as { new (body?: unknown, init?: Init): NodeResponse & Response; prototype: NodeResponse };
const nodeGetter = (name: "body" | "bodyUsed") => Object.getOwnPropertyDescriptor(globalThis.Response.prototype, name)!.get!;
const nodeBody = nodeGetter("body");
const nodeBodyUsed = nodeGetter("bodyUsed");
/** Statuses that may not have a body: Node's Response refuses one, so they keep its path. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** Streams handed out by `.body` of string responses, and the text each holds. */
const streamText = new WeakMap<ReadableStream, string>();

const unread = (stream: ReadableStream) => !stream.locked && !isDisturbed(stream );

const encoder = new TextEncoder();

/** A body stream as Node makes one for a string: bytes, encoded when first pulled. */
function streamOf(text: string): ReadableStream {
  const stream = new ReadableStream({
    type: "bytes",
    pull(controller) {
      controller.enqueue(encoder.encode(text));
      controller.close();
    },
  });
  streamText.set(stream, text);
  return stream;
}

/** What Node's text() gives for these bytes: UTF-8 round trip (lone surrogates replaced), no BOM. */
function decoded(text: string): string {
  const wellFormed = (text as unknown as { isWellFormed(): boolean }).isWellFormed() ? text : (text as unknown as { toWellFormed(): string }).toWellFormed();
  return wellFormed.charCodeAt(0) === 0xfeff ? wellFormed.slice(1) : wellFormed;
}

const unusable = () => new TypeError("Body is unusable: Body has already been read");

class StringBodyResponse extends (RealResponse as unknown as new (body?: unknown, init?: Init) => NodeResponse) {
  /** The whole body as a string (null: Node's own body, for anything but strings). */
  #text: string | null = null;
  /** The body as a stream, once asked for or when moved from another response (shared, like Node's). */
  #stream: ReadableStream | null = null;
  /** Read while it had no stream. */
  #used = false;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Responses Node makes itself (Response.json(), fetch()) are Responses too.
    return value instanceof RealResponse;
  }

  constructor(body?: unknown, init?: Init) {
    // Hono moves a response into a new one with `new Response(res.body, res)`: an unread stream
    // of a string response carries its text along, so the move never reads it.
    const moved = body instanceof ReadableStream && unread(body) ? streamText.get(body) : undefined;
    const text = typeof body === "string" ? body : moved;
    const keep = text !== undefined && !NULL_BODY_STATUS.has(init?.status ?? 200);
    super(keep ? null : body, init);
    if (!keep) return;
    this.#text = text;
    if (moved !== undefined) this.#stream = body as ReadableStream;
    // Node's Response types a string body unless told otherwise; a moved stream carries its headers.
    else if (!this.headers.has("content-type")) this.headers.set("content-type", "text/plain;charset=UTF-8");
  }

  /** Node's Response over the body stream, for reads this class does not do itself. */
  #node(): NodeResponse {
    return new RealResponse(this.#stream ?? (this.#used ? null : this.#text), { status: this.status, statusText: this.statusText, headers: this.headers });
  }

  /** Take the whole text for a read, as reading the stream would; false if it was read already. */
  #take(): boolean {
    if (this.#stream) {
      if (!unread(this.#stream)) return false;
      void this.#stream.cancel();
      return true;
    }
    if (this.#used) return false;
    this.#used = true;
    return true;
  }

  get body(): ReadableStream | null {
    if (this.#text === null) return nodeBody.call(this);
    if (!this.#stream) {
      this.#stream = streamOf(this.#text);
      if (this.#used) void this.#stream.cancel();
    }
    return this.#stream;
  }

  get bodyUsed(): boolean {
    if (this.#text === null) return nodeBodyUsed.call(this);
    return this.#stream ? isDisturbed(this.#stream ) : this.#used;
  }

  override text(): Promise<string> {
    if (this.#text === null) return super.text();
    if (this.#stream && !unread(this.#stream)) return new RealResponse(this.#stream).text();
    if (!this.#take()) return Promise.reject(unusable());
    return Promise.resolve(decoded(this.#text));
  }

  override json(): Promise<any> {
    if (this.#text === null) return super.json();
    return this.text().then((text) => JSON.parse(text));
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#text === null ? super.arrayBuffer() : this.#read((response) => response.arrayBuffer());
  }

  override blob(): Promise<Blob> {
    return this.#text === null ? super.blob() : this.#read((response) => response.blob());
  }

  override formData(): Promise<FormData> {
    return this.#text === null ? super.formData() : this.#read((response) => response.formData());
  }

  override bytes(): Promise<Uint8Array> {
    return this.#text === null ? super.bytes() : this.#read((response) => response.bytes());
  }

  /** Other reads go through Node's Response over the same body, so they behave exactly as Node's. */
  #read<T>(read: (response: NodeResponse) => Promise<T>): Promise<T> {
    const response = this.#node();
    this.#used = true;
    return read(response);
  }

  override clone(): Response {
    if (this.#text === null) return super.clone();
    if (this.#stream ? !unread(this.#stream) : this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    const copy = new StringBodyResponse(null, { status: this.status, statusText: this.statusText, headers: this.headers });
    copy.#text = this.#text;
    return copy as unknown as Response;
  }
}

/** Make `Response` the string-keeping one until the returned function restores Node's. */
export function installFastResponse(): () => void {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "Response")!;
  Object.defineProperty(globalThis, "Response", { value: StringBodyResponse, writable: true, configurable: true, enumerable: false });
  return () => Object.defineProperty(globalThis, "Response", saved);
}
