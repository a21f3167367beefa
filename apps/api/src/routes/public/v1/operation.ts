import { type NarrowScope, SCOPE_REGISTRY } from "@apf/auth";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, PublicEnv } from "../../../context.ts";
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
  scope: NarrowScope | readonly [NarrowScope, ...NarrowScope[]] | null,
  description: string,
) {
  const middleware: MiddlewareHandler<PublicEnv>[] = scope
    ? [apiKeyAuth, meterKeyBudget, requireScope(scope), enforceKeyBudget]
    : [apiKeyAuth, meterKeyBudget, enforceKeyBudget];
  const accepted: readonly NarrowScope[] = typeof scope === "string" ? [scope] : (scope ?? []);
  // Each narrow scope is also granted by the broad scope of its kind (`read`, `write`, `control`).
  const acceptedWithBroad = [
    ...new Set([...accepted, ...accepted.map((s) => SCOPE_REGISTRY[s].kind)]),
  ];
  const needs = `Requires scope \`${accepted[0]}\` (or any of ${acceptedWithBroad
    .slice(1)
    .map((s) => `\`${s}\``)
    .join(", ")}).`;
  return {
    security: BEARER_SECURITY,
    description: scope
      ? `${description}\n\n${needs}`
      : `${description}\n\nAny valid key; no scope required.`,
    ...(scope ? { "x-required-scope": accepted[0], "x-accepted-scopes": acceptedWithBroad } : {}),
    middleware,
  };
}

/**
 * The router every /public/v1 key operation registers on: its handlers run after api-key-auth
 * (keyOperation's middleware), so the key and its actor are present.
 */
export type PublicRouter = OpenAPIHono<PublicEnv>;

/** The router of /public/v1 itself, whose few open routes (the document, GitHub's reports) see no key. */
export type OpenPublicRouter = OpenAPIHono<AppEnv>;
