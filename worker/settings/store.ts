import { waitForTurn } from "../coordination/turns";
import type { SiteSettings } from "./model";

export type { BlockedAddress, BlockList, SiteSettings } from "./model";

/**
 * Site settings a moderator changes in /admin (today: the block list), kept in one KV value.
 * Read on comment posts only, never on a page view, and kept in memory for a while: a change
 * reaches every location within a minute (30 s here, at most 30 s in KV's edge cache).
 */
export const SETTINGS_KEY = "settings";
/** How long an isolate keeps what it read; KV's own edge cache adds as much again at most. */
export const SETTINGS_CACHE_MS = 30_000;
const KV_CACHE_TTL_SECONDS = 30;

export const emptySettings = (): SiteSettings => ({ blockList: { words: [], emails: [], domains: [], addresses: [] } });

let cached: { settings: SiteSettings; at: number } | null = null;

/** The settings, from this isolate's memory when read in the last 30 s, else one KV read. */
export async function readSettingsCached(kv: KVNamespace, now: number): Promise<SiteSettings> {
  if (cached && now - cached.at < SETTINGS_CACHE_MS && now >= cached.at) return cached.settings;
  const stored = await kv.get<Partial<SiteSettings>>(SETTINGS_KEY, { type: "json", cacheTtl: KV_CACHE_TTL_SECONDS });
  const settings = { blockList: { ...emptySettings().blockList, ...stored?.blockList } };
  cached = { settings, at: now };
  return settings;
}

/** What /admin shows: always read afresh (no edge cache), so a moderator sees their own change. */
export async function readSettingsFresh(kv: KVNamespace): Promise<SiteSettings> {
  const stored = await kv.get<Partial<SiteSettings>>(SETTINGS_KEY, "json");
  return { blockList: { ...emptySettings().blockList, ...stored?.blockList } };
}

/**
 * KV takes one write a second of a key: a moderator saving twice in a second (or blocking two
 * authors back to back) waits for the settings' turn. Take it before reading what is rewritten.
 */
export async function settingsTurn(kv: KVNamespace): Promise<void> {
  await waitForTurn(kv, SETTINGS_KEY, [SETTINGS_KEY]);
}

export async function writeSettings(kv: KVNamespace, settings: SiteSettings, now: number): Promise<void> {
  await kv.put(SETTINGS_KEY, JSON.stringify(settings));
  // This isolate sees the change at once; the others within a minute.
  cached = { settings, at: now };
}

/** For tests: forget what this isolate read. */
export function forgetCachedSettings(): void {
  cached = null;
}
