import type { Scope } from "@apf/auth";
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
export function keyOperation(
  scope: Scope | readonly [Scope, ...Scope[]] | null,
  description: string,
) {
  const middleware: MiddlewareHandler<AppEnv>[] = scope
    ? [apiKeyAuth, meterKeyBudget, requireScope(scope), enforceKeyBudget]
    : [apiKeyAuth, meterKeyBudget, enforceKeyBudget];
  const accepted = typeof scope === "string" ? [scope] : (scope ?? []);
  const needs =
    accepted.length > 1
      ? `Requires scope \`${accepted[0]}\` (or any of ${accepted
          .slice(1)
          .map((s) => `\`${s}\``)
          .join(", ")}).`
      : `Requires scope \`${accepted[0]}\`.`;
  return {
    security: BEARER_SECURITY,
    description: scope
      ? `${description}\n\n${needs}`
      : `${description}\n\nAny valid key; no scope required.`,
    ...(scope ? { "x-required-scope": accepted[0] } : {}),
    ...(accepted.length > 1 ? { "x-accepted-scopes": accepted } : {}),
    middleware,
  };
}

/** The /public/v1 router every operation file registers on. */
export type PublicRouter = OpenAPIHono<AppEnv>;
