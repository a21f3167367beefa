import { holdsScope, type Scope } from "@apf/auth";
import { createMiddleware } from "hono/factory";
import type { PublicEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

/**
 * 403 INSUFFICIENT_SCOPE unless the authenticated key holds `scope` (or, given a list, any one of
 * them), directly or through its broad scope (`read`, `write`, `control`). The message names the
 * first: the narrowest that would have done.
 */
export function requireScope(scope: Scope | readonly [Scope, ...Scope[]]) {
  const accepted: readonly Scope[] = typeof scope === "string" ? [scope] : scope;
  return createMiddleware<PublicEnv>(async (c, next) => {
    if (!accepted.some((s) => holdsScope(c.get("apiKey").scopes, s))) {
      throw new ApiError("INSUFFICIENT_SCOPE", `API key missing required scope: ${accepted[0]}`);
    }
    await next();
  });
}
