import { type NarrowScope, SCOPE_REGISTRY } from "@apf/auth";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../../context.ts";
import { apiKeyAuth } from "../../../middleware/api-key-auth.ts";
import { enforceKeyBudget, meterKeyBudget } from "../../../middleware/rate-limit.ts";
import { requireScope } from "../../../middleware/require-scope.ts";
import { BEARER_SECURITY } from "../../../openapi/security.ts";

/**
 * What makes an operation one that needs an API key: the OpenAPI security requirement and
 * required scope, and the middleware that enforces exactly that, from one place so the document
 * cannot drift from the code. Order: authenticate → spend the key's budget (rate-limit headers on
 * every answer from here) → scope (403 answers before 429, as the contract orders) → refuse when
 * the budget is spent.
 */
export function keyOperation(scope: NarrowScope | null, description: string) {
  const broad = scope ? SCOPE_REGISTRY[scope].kind : null;
  const middleware: MiddlewareHandler<AppEnv>[] = scope
    ? [apiKeyAuth, meterKeyBudget, requireScope(scope), enforceKeyBudget]
    : [apiKeyAuth, meterKeyBudget, enforceKeyBudget];
  return {
    security: BEARER_SECURITY,
    description: scope
      ? `${description}\n\nRequires scope \`${scope}\` (or the broad \`${broad}\`).`
      : `${description}\n\nAny valid key; no scope required.`,
    ...(scope ? { "x-required-scope": scope, "x-accepted-scopes": [scope, broad] } : {}),
    middleware,
  };
}

/** The /public/v1 router every operation file registers on. */
export type PublicRouter = OpenAPIHono<AppEnv>;
