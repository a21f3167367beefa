import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";

/** An API key (/public/v1). */
export const BEARER_SCHEME = "bearerAuth";
/** An agent token (/agent/v1). */
export const AGENT_SCHEME = "agentToken";

/** The security requirement of every operation that needs an API key. */
export const BEARER_SECURITY = [{ [BEARER_SCHEME]: [] }];

/** A dashboard session as Bearer token or cookie. */
export const SESSION_SECURITY: Record<string, string[]>[] = [
  { session_bearer: [] },
  { session_cookie: [] },
];

/** The security requirement of every /agent/v1 operation. */
export const AGENT_SECURITY = [{ [AGENT_SCHEME]: [] }];

/** An operation open to anyone (sign-up, login, the OpenAPI documents): it says so. */
export const OPEN: Record<string, string[]>[] = [];

type Registry = OpenAPIHono<Env>["openAPIRegistry"];

/** The session schemes of /api. */
export function registerSessionSchemes(registry: Registry): void {
  registry.registerComponent("securitySchemes", "session_bearer", {
    type: "http",
    scheme: "bearer",
    description: "A dashboard session token (apf_sess_…) from /api/auth/signup or /api/auth/login.",
  });
  registry.registerComponent("securitySchemes", "session_cookie", {
    type: "apiKey",
    in: "cookie",
    name: "apf_session",
    description: "The same session as an HttpOnly cookie; writes must come from the same origin.",
  });
}

/** The agent-token scheme of /agent/v1. */
export function registerAgentScheme(registry: Registry): void {
  registry.registerComponent("securitySchemes", AGENT_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "apf_agent_<64 lowercase hex>",
    description:
      "The token of an agent created in the dashboard, sent as `Authorization: Bearer apf_agent_…`.",
  });
}
