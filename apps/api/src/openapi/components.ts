import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";
import { FAILED_AUTH_LIMIT, KEY_WINDOW_S } from "../middleware/rate-limit.ts";
import {
  ANALYTICS_UNAVAILABLE_RESPONSE,
  CHALLENGE_HEADER,
  ERROR_RESPONSES,
  type ErrorStatus,
  errorSchemas,
  HUB_UNAVAILABLE_RESPONSE,
} from "./errors.ts";
import { BEARER_SCHEME } from "./security.ts";

type Registry = OpenAPIHono<AppEnv>["openAPIRegistry"];

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Headers of every authenticated answer (rate-limit headers, X-Request-Id), as references. */
export const AUTHENTICATED_HEADERS = {
  "X-RateLimit-Limit": ref("headers", "X-RateLimit-Limit"),
  "X-RateLimit-Remaining": ref("headers", "X-RateLimit-Remaining"),
  "X-RateLimit-Reset": ref("headers", "X-RateLimit-Reset"),
  "X-Request-Id": ref("headers", "X-Request-Id"),
};

/** `responses` entries referring to the shared error responses of the given statuses. */
export function errorResponses<const S extends ErrorStatus>(
  ...statuses: S[]
): Record<S, { $ref: string }> {
  return Object.fromEntries(
    statuses.map((s) => [s, ref("responses", ERROR_RESPONSES[s].component)]),
  ) as Record<S, { $ref: string }>;
}

/** The 503 of operations that go through a printer's agent (HUB_OFFLINE, HUB_COMMAND_FAILED). */
export const hubUnavailableResponse = () => ({
  503: ref("responses", HUB_UNAVAILABLE_RESPONSE.component),
});

/** The 503 of the analytics reports read from the rollups (ANALYTICS_REGROUPING, UNAVAILABLE). */
export const analyticsUnavailableResponse = () => ({
  503: ref("responses", ANALYTICS_UNAVAILABLE_RESPONSE.component),
});

/** Registers the security scheme, headers, error bodies and error responses of /public/v1. */
export function registerPublicComponents(registry: Registry): void {
  registry.registerComponent("securitySchemes", BEARER_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "apf_live_<64 lowercase hex>",
    description:
      "An API key minted in the dashboard, sent as `Authorization: Bearer apf_live_…`. Never in the query string, never in X-Api-Key.",
  });
  const integer = (description: string) => ({ description, schema: { type: "integer" as const } });
  registry.registerComponent(
    "headers",
    "X-RateLimit-Limit",
    integer(`The key's budget per ${KEY_WINDOW_S} s window.`),
  );
  registry.registerComponent(
    "headers",
    "X-RateLimit-Remaining",
    integer("Requests left in the current window."),
  );
  registry.registerComponent(
    "headers",
    "X-RateLimit-Reset",
    integer("Unix epoch seconds when the current window resets."),
  );
  registry.registerComponent(
    "headers",
    "Retry-After",
    integer("Seconds to wait before trying again (at least 1)."),
  );
  registry.registerComponent("headers", CHALLENGE_HEADER, {
    description:
      'The RFC 6750 challenge of every 401: `Bearer realm="apf"`, with `error="invalid_token"` when a key was sent but is malformed, unknown, revoked or expired. Exposed to cross-origin scripts (Access-Control-Expose-Headers).',
    schema: { type: "string", example: 'Bearer realm="apf", error="invalid_token"' },
  });
  registry.registerComponent("headers", "X-Request-Id", {
    description: "The request's id (a sane incoming X-Request-Id is echoed).",
    schema: { type: "string" },
  });
  for (const { name, schema } of errorSchemas()) registry.register(name, schema);
  for (const spec of [
    ...Object.values(ERROR_RESPONSES),
    HUB_UNAVAILABLE_RESPONSE,
    ANALYTICS_UNAVAILABLE_RESPONSE,
  ]) {
    const headers: Record<string, { $ref: string }> = spec.afterAuth
      ? { ...AUTHENTICATED_HEADERS }
      : { "X-Request-Id": AUTHENTICATED_HEADERS["X-Request-Id"] };
    const tooMany = spec.component === "TooManyRequests";
    if (tooMany || spec === ANALYTICS_UNAVAILABLE_RESPONSE) {
      headers["Retry-After"] = ref("headers", "Retry-After");
    }
    if (spec.component === "Unauthorized") {
      headers[CHALLENGE_HEADER] = ref("headers", CHALLENGE_HEADER);
    }
    const description = tooMany
      ? `${spec.description} Failed authentications are limited to ${FAILED_AUTH_LIMIT} per minute per client address (those 429s carry no X-RateLimit headers).`
      : spec.description;
    registry.registerComponent("responses", spec.component, {
      description,
      headers,
      content: {
        "application/json": { schema: ref("schemas", `${spec.component}Error`) },
      },
    });
  }
}
