// The admin API as the import and export commands use it: where it is, the token, and requests
// that retry what a network or a busy Worker refused before giving up with a clear message.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

export const DEFAULT_API = `http://127.0.0.1:${process.env.PORT || "8787"}`;

/** A command-line mistake: printed as it is, without a stack trace. */
export class UsageError extends Error {}

/**
 * The admin token: --token, else PLAUDIT_ADMIN_TOKEN, else ADMIN_TOKEN in the local .dev.vars
 * (what `npm start` uses).
 * @param {{ token?: string, env?: Record<string, string | undefined>, devVars?: string }} options
 */
export function resolveToken({ token, env = process.env, devVars = resolve(".dev.vars") } = {}) {
  if (token) return token;
  if (env.PLAUDIT_ADMIN_TOKEN) return env.PLAUDIT_ADMIN_TOKEN;
  if (existsSync(devVars)) {
    const line = readFileSync(devVars, "utf8").split(/\r?\n/).find((text) => /^\s*ADMIN_TOKEN\s*=/.test(text));
    const value = line?.replace(/^\s*ADMIN_TOKEN\s*=\s*/, "").trim().replace(/^(["'])(.*)\1$/, "$2");
    if (value) return value;
  }
  throw new UsageError("No admin token: pass --token TOKEN, set PLAUDIT_ADMIN_TOKEN, or run from a checkout whose .dev.vars has ADMIN_TOKEN.");
}

/** The Worker's origin from --api, with or without a trailing slash or /api/v1. */
export function apiBase(api = DEFAULT_API) {
  let url;
  try {
    url = new URL(api);
  } catch {
    // Reported below.
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`--api must be a URL such as https://plaudit.example.workers.dev, not "${api}".`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "")}/api/v1`;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** An error the Worker answered, with its code; 4xx ones are not worth retrying. */
export class ApiAnswer extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(`${status} ${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

async function answerError(response) {
  const text = await response.text().catch(() => "");
  try {
    const { error } = JSON.parse(text);
    return new ApiAnswer(response.status, error.code, error.message);
  } catch {
    return new ApiAnswer(response.status, "http_error", text.slice(0, 200) || response.statusText);
  }
}

/**
 * fetch() with the admin token, retried with growing pauses on network failures, 429 and 5xx
 * (honouring Retry-After up to a minute); `read` consumes the body inside the retry, so a
 * response cut short is retried too.
 * @template T
 * @param {string} url
 * @param {{ token: string, method?: string, body?: string, headers?: Record<string, string>, attempts?: number, pause?: number, fetch?: typeof fetch }} options
 * @param {(response: Response) => Promise<T>} read
 * @returns {Promise<T>}
 */
export async function adminRequest(url, options, read) {
  const { token, method = "GET", body, headers = {}, attempts = 4, pause = 1000, fetch: fetchImpl = fetch } = options;
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let wait = pause * 2 ** (attempt - 1);
    try {
      const response = await fetchImpl(url, { method, body, headers: { Authorization: `Bearer ${token}`, ...headers } });
      if (response.ok) return await read(response);
      const error = await answerError(response);
      if (response.status !== 429 && response.status < 500) throw error;
      const retryAfter = Number(response.headers.get("Retry-After"));
      if (retryAfter > 0) wait = Math.min(retryAfter, 60) * 1000;
      lastError = error;
    } catch (error) {
      if (error instanceof ApiAnswer && error.status !== 429 && error.status < 500) throw error;
      // fetch() says only "fetch failed" when nothing answers: name the address and the cause.
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
      lastError = error instanceof ApiAnswer ? error : new Error(`could not reach ${new URL(url).origin}${cause}: is the Worker running (npm start), and is --api right?`);
    }
    if (attempt < attempts) await sleep(wait);
  }
  throw lastError;
}
