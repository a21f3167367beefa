import { z } from "@hono/zod-openapi";
import { ERROR_CODES, type ErrorCode } from "../../errors.ts";

/** Tag of every dashboard operation. */
export const TAGS = ["dashboard"];

/** A session as Bearer token or cookie; registered as components by the dashboard router. */
export const SESSION_SECURITY: Record<string, string[]>[] = [
  { session_bearer: [] },
  { session_cookie: [] },
];

const errorSchema = z.object({
  success: z.literal(false),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  error: z.string(),
  request_id: z.string(),
});

const ERROR_DESCRIPTIONS = {
  400: "INVALID_REQUEST: a body field or parameter is invalid; the message names it.",
  401: "UNAUTHORIZED, TOKEN_INVALID, TOKEN_REVOKED, TOKEN_EXPIRED or INVALID_CREDENTIALS.",
  403: "FORBIDDEN: the caller's role does not allow this, or a cross-origin cookie write.",
  404: "NOT_FOUND: no such resource in this organization (or not a member of it).",
  409: "CONFLICT: the change would break a rule (duplicate, last owner, stock below zero); INVALID_STATE: the action does not fit the printer's status.",
  422: "IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another request within 24 hours.",
  429: "RATE_LIMITED: too many attempts; see Retry-After.",
  503: "HUB_OFFLINE: the printer's agent has no open command channel; HUB_COMMAND_FAILED: the agent could not carry it out; UNAVAILABLE: a dependency is down.",
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;
type ErrorResponse = {
  description: string;
  content: { "application/json": { schema: typeof errorSchema } };
};

/** The error responses a route documents, in the shared envelope. */
export function errors<S extends ErrorStatus>(...statuses: S[]): { [K in S]: ErrorResponse } {
  const responses: Partial<Record<ErrorStatus, ErrorResponse>> = {};
  for (const status of statuses) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { "application/json": { schema: errorSchema } },
    };
  }
  return responses as { [K in S]: ErrorResponse };
}

/** A success response `{success: true, data}`. */
export function dataResponse<T extends z.ZodType>(schema: T, description: string) {
  return {
    description,
    content: {
      "application/json": { schema: z.object({ success: z.literal(true), data: schema }) },
    },
  };
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** The success envelope. */
export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

/** A timestamp as the API writes it: ISO-8601 UTC. */
export const iso = (date: Date): string => date.toISOString();
export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The `{orgId}` path parameter. */
export const orgParams = z.object({
  orgId: z.uuid().openapi({ param: { name: "orgId", in: "path" } }),
});

/** `{orgId}` plus another id parameter named `name`. */
export function orgParamsWith<N extends string>(name: N) {
  return orgParams.extend({
    [name]: z.uuid().openapi({ param: { name, in: "path" } }),
  } as { [K in N]: z.ZodUUID });
}

export const timestamp = z
  .string()
  .openapi({ format: "date-time", example: "2026-11-23T10:00:00.000Z" });
