/**
 * A KV list() may miss writes of the last 60 s. Recounts and rebuilds leave alone anything written
 * more recently than this, so they never overwrite a change they cannot see yet.
 */
export const SETTLE_MS = 90_000;
