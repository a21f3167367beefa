import type { Scope } from "@apf/auth";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

/** 403 INSUFFICIENT_SCOPE, naming the scope, unless the authenticated key holds `scope`. */
export function requireScope(scope: Scope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.apiKey.scopes.includes(scope)) {
      throw new ApiError("INSUFFICIENT_SCOPE", `API key missing required scope: ${scope}`);
    }
    await next();
  });
}
