// A streaming XML reader: a file of any size goes through saxes chunk by chunk, and the caller
// walks its elements without ever holding the document.
import { SaxesParser } from "saxes";

/**
 * @typedef {{ type: "open", name: string, attributes: Record<string, string> }
 *   | { type: "text", text: string }
 *   | { type: "close", name: string }} XmlEvent
 */

/** The file is not well-formed XML: the message names the file, line and column. */
export class XmlError extends Error {}

/**
 * The XML events of a byte stream, in order, parsed as the bytes arrive.
 * @param {AsyncIterable<Buffer | string>} chunks
 * @param {string} fileName  named in parse errors, with the line and column
 * @returns {AsyncGenerator<XmlEvent>}
 */
export async function* xmlEvents(chunks, fileName) {
  const parser = new SaxesParser({ fileName });
  /** @type {XmlEvent[]} */
  let pending = [];
  parser.on("opentag", (tag) => pending.push({ type: "open", name: tag.name, attributes: /** @type {Record<string, string>} */ (tag.attributes) }));
  parser.on("text", (text) => pending.push({ type: "text", text }));
  parser.on("cdata", (text) => pending.push({ type: "text", text }));
  parser.on("closetag", (tag) => pending.push({ type: "close", name: tag.name }));
  parser.on("error", (error) => {
    throw new XmlError(error.message);
  });
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of chunks) {
    parser.write(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    const ready = pending;
    pending = [];
    yield* ready;
  }
  parser.close();
  yield* pending;
}
