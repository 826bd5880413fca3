/** Settings parsed once per request from the Worker's vars and secrets, with safe defaults. */
export interface Settings {
  /** `"*"` or an explicit list of origins that may embed the widget. */
  allowedOrigins: "*" | readonly string[];
  votersPerIp: number;
  cacheMaxAge: number;
  /** "pre": comments wait for approval; "post": published unless a spam rule holds them. */
  moderation: "pre" | "post";
  maxLinks: number;
  editWindowMs: number;
  adminToken: string | undefined;
  hashSecret: string | undefined;
  turnstileSecret: string | undefined;
  notifyWebhookUrl: string | undefined;
  /** The name the site owner's comments are signed with; nobody else may post under it. */
  ownerName: string;
  /** Publish at once, even under pre-moderation, comments whose email has an approved comment already. */
  trustReturning: boolean;
  /** Readers who rate this many stars or fewer are asked what could be better; 0 asks nobody. */
  feedbackMaxStars: number;
}

export const DEFAULTS = {
  votersPerIp: 5,
  cacheMaxAge: 10,
  maxLinks: 2,
  editWindowSeconds: 900,
  ownerName: "Site owner",
  feedbackMaxStars: 2,
} as const;

function wholeNumber(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw?.trim() && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function origins(raw: string | undefined): Settings["allowedOrigins"] {
  const list = (raw ?? "*")
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter(Boolean);
  return list.length === 0 || list.includes("*") ? "*" : list;
}

const optional = (raw: string | undefined) => raw?.trim() || undefined;

export function readSettings(env: Env): Settings {
  return {
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    votersPerIp: wholeNumber(env.VOTERS_PER_IP, DEFAULTS.votersPerIp),
    cacheMaxAge: wholeNumber(env.CACHE_MAX_AGE, DEFAULTS.cacheMaxAge),
    moderation: env.MODERATION?.trim().toLowerCase() === "post" ? "post" : "pre",
    maxLinks: wholeNumber(env.MAX_LINKS, DEFAULTS.maxLinks),
    editWindowMs: wholeNumber(env.EDIT_WINDOW_SECONDS, DEFAULTS.editWindowSeconds) * 1000,
    adminToken: optional(env.ADMIN_TOKEN),
    hashSecret: optional(env.HASH_SECRET),
    turnstileSecret: optional(env.TURNSTILE_SECRET),
    notifyWebhookUrl: optional(env.NOTIFY_WEBHOOK_URL),
    ownerName: optional(env.OWNER_NAME)?.slice(0, 80) ?? DEFAULTS.ownerName,
    trustReturning: env.TRUST_RETURNING?.trim().toLowerCase() !== "off",
    feedbackMaxStars: Math.min(5, wholeNumber(env.FEEDBACK_MAX_STARS, DEFAULTS.feedbackMaxStars)),
  };
}
