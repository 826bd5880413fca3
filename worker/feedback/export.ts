import { allFeedback } from "./store";

const encoder = new TextEncoder();

/**
 * The NDJSON export with the feedback on low ratings after everything else, one
 * `{"type": "feedback", …}` line each (the voter as its HMAC id, as on votes).
 */
export function withFeedback(exported: ReadableStream<Uint8Array>, kv: KVNamespace): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      try {
        const reader = exported.getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) controller.enqueue(chunk.value);
        for await (const { id, article, rating, body, createdAt, voter } of allFeedback(kv)) {
          controller.enqueue(encoder.encode(`${JSON.stringify({ type: "feedback", id, article, rating, body, createdAt: new Date(createdAt).toISOString(), voter })}\n`));
        }
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
}
