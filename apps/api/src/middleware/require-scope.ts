import type { Scope } from "@apf/auth";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

/**
 * 403 INSUFFICIENT_SCOPE unless the authenticated key holds `scope` (or, given a list, any one
 * of them); the message names the first, the narrowest.
 */
export function requireScope(scope: Scope | readonly [Scope, ...Scope[]]) {
  const accepted: readonly Scope[] = typeof scope === "string" ? [scope] : scope;
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!accepted.some((s) => c.var.apiKey.scopes.includes(s))) {
      const others = accepted.length > 1 ? ` (or one of ${accepted.slice(1).join(", ")})` : "";
      throw new ApiError(
        "INSUFFICIENT_SCOPE",
        `API key missing required scope: ${accepted[0]}${others}`,
      );
    }
    await next();
  });
}
