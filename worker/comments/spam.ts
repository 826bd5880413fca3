import { ApiError } from "../http/errors";

export const TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** Check a Turnstile token with Cloudflare (only when TURNSTILE_SECRET is set). */
export async function verifyTurnstile(secret: string, token: string | undefined, ip: string): Promise<void> {
  if (!token) {
    throw new ApiError(403, "turnstile_required", "Please complete the anti-spam check before posting.", { field: "turnstileToken" });
  }
  let outcome: { success?: boolean };
  try {
    const response = await fetch(TURNSTILE_VERIFY_URL, {
      method: "POST",
      body: new URLSearchParams({ secret, response: token, remoteip: ip }),
    });
    outcome = await response.json();
  } catch {
    throw new ApiError(503, "turnstile_unavailable", "The anti-spam check could not be reached. Please try again.");
  }
  if (!outcome.success) {
    throw new ApiError(403, "turnstile_failed", "The anti-spam check failed. Please try it again.", { field: "turnstileToken" });
  }
}
