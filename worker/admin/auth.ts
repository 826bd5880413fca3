import type { MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { ApiError } from "../http/errors";

/**
 * Admin routes need `Authorization: Bearer ADMIN_TOKEN` (compared timing-safely by Hono's
 * bearer-auth). With no token configured they are closed, never open.
 */
export const requireAdmin = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const token = c.var.settings.adminToken;
  if (!token) throw new ApiError(503, "admin_disabled", "Moderation is switched off: this server has no ADMIN_TOKEN set.");
  try {
    const auth: MiddlewareHandler<AppEnv> = bearerAuth({ token });
    await auth(c, next);
  } catch (error) {
    // A malformed Authorization header is as unauthorised as a wrong token.
    if (error instanceof HTTPException && (error.status === 400 || error.status === 401)) {
      throw new ApiError(401, "unauthorized", "A valid admin token is required.", { headers: { "WWW-Authenticate": 'Bearer realm="plaudit"' } });
    }
    throw error;
  }
};
