import { holdsScope, type Scope } from "@apf/auth";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

/**
 * 403 INSUFFICIENT_SCOPE unless the authenticated key holds `scope` or its broad scope
 * (`read`, `write`, `control`). The message names `scope`: the narrowest that would have done.
 */
export function requireScope(scope: Scope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!holdsScope(c.var.apiKey.scopes, scope)) {
      throw new ApiError("INSUFFICIENT_SCOPE", `API key missing required scope: ${scope}`);
    }
    await next();
  });
}
