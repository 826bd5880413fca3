/**
 * A KV list() may miss writes of the last 60 s. Recounts and rebuilds leave alone anything written
 * more recently than this, so they never overwrite a change they cannot see yet.
 */
export const SETTLE_MS = 90_000;

/**
 * A materialised value (an aggregate, a thread head) written this recently belongs to an active
 * article: a change at another location may have written it too, unseen by our read (up to 60 s
 * old), and one of the two changes is lost. The writer then asks the cron to verify the article
 * once KV has settled.
 */
export const ACTIVE_WINDOW_MS = 10 * 60_000;
