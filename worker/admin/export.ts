import { listAll, getMany } from "../lib/kv";
import { commentKeys } from "../comments/keys";
import type { StoredComment } from "../comments/model";
import { ratingKeys, resetKeys, type StoredAggregate, type VoteMetadata } from "../ratings/keys";

const encoder = new TextEncoder();

/**
 * Every vote (voter as its HMAC id) and every comment (without its edit-token hash) as NDJSON,
 * streamed so that a large site never has to fit in memory.
 */
export function exportAll(kv: KVNamespace, now: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      const line = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        line({ type: "export", version: 1, exportedAt: new Date(now).toISOString() });
        const articles = new Map<string, string>();
        for await (const key of listAll(kv, ratingKeys.aggregatePrefix)) {
          const stored = await kv.get<StoredAggregate>(key.name, "json");
          if (stored) articles.set(key.name.slice(ratingKeys.aggregatePrefix.length), stored.article);
        }
        const resets = new Map<string, number>();
        for await (const key of listAll<{ t: number }>(kv, resetKeys.prefix)) resets.set(key.name.slice(resetKeys.prefix.length), key.metadata?.t ?? 0);
        for await (const key of listAll<VoteMetadata>(kv, ratingKeys.allVotesPrefix)) {
          const [, a, voter] = key.name.split(":");
          // Cast before an admin reset: no longer part of the article's rating.
          if ((key.metadata?.t ?? 0) <= (resets.get(a!) ?? 0)) continue;
          line({ type: "vote", article: articles.get(a!) ?? null, articleKey: a, voter, rating: key.metadata?.r ?? null, at: key.metadata ? new Date(key.metadata.t).toISOString() : null });
        }
        let batch: string[] = [];
        const flush = async () => {
          for (const comment of (await getMany<StoredComment>(kv, batch)).values()) {
            const { editTokenHash: _secret, ...rest } = comment;
            line({ type: "comment", ...rest, createdAt: new Date(rest.createdAt).toISOString(), editedAt: rest.editedAt === null ? null : new Date(rest.editedAt).toISOString() });
          }
          batch = [];
        };
        for await (const key of listAll(kv, commentKeys.allCommentsPrefix)) {
          batch.push(key.name);
          if (batch.length === 100) await flush();
        }
        await flush();
        controller.close();
      } catch (error) {
        // The status line is long gone: end the stream with an error the client sees as truncation.
        controller.error(error);
      }
    },
  });
}
