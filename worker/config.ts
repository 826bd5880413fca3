/** Settings parsed once per request from the Worker's vars and secrets, with safe defaults. */
export interface Settings {
  /** `"*"` or an explicit list of origins that may embed the widget. */
  allowedOrigins: "*" | readonly string[];
  votersPerIp: number;
  cacheMaxAge: number;
  adminToken: string | undefined;
  hashSecret: string | undefined;
}

export const DEFAULTS = {
  votersPerIp: 5,
  cacheMaxAge: 10,
} as const;

function positiveInt(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

function origins(raw: string | undefined): Settings["allowedOrigins"] {
  const list = (raw ?? "*")
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter(Boolean);
  return list.length === 0 || list.includes("*") ? "*" : list;
}

export function readSettings(env: Env): Settings {
  return {
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    votersPerIp: positiveInt(env.VOTERS_PER_IP, DEFAULTS.votersPerIp),
    cacheMaxAge: positiveInt(env.CACHE_MAX_AGE, DEFAULTS.cacheMaxAge),
    adminToken: env.ADMIN_TOKEN?.trim() || undefined,
    hashSecret: env.HASH_SECRET?.trim() || undefined,
  };
}
