import { z } from "@hono/zod-openapi";
import { ERROR_CODES, type ErrorCode } from "../errors.ts";

/** One offending field of an INVALID_REQUEST: where it is and what is wrong with it. */
export const FieldIssueSchema = z
  .object({
    path: z.array(z.union([z.string(), z.number()])).openapi({
      description:
        'Where the value is: object keys and array indexes from the body (or the query, path parameter or header) down, e.g. `["machines", 3, "name"]` or `["limit"]`; empty for the body itself.',
      example: ["machines", 3, "name"],
    }),
    message: z.string().openapi({ description: "What is wrong with it, in English." }),
  })
  .openapi("FieldIssue");

/** `details` of an error envelope: present on every INVALID_REQUEST. */
const detailsField = z.array(FieldIssueSchema).optional().openapi({
  description:
    "On every INVALID_REQUEST: each offending field, so a client can point at it without reading `error` (empty when no single field is to blame, e.g. a body that is not JSON). Absent on other codes.",
});

/** An error envelope whose `code` is one of `codes`. */
function errorBody(codes: readonly [ErrorCode, ...ErrorCode[]], example: ErrorCode, text: string) {
  return z
    .object({
      success: z.literal(false),
      code: z.enum(codes).openapi({ description: "Stable, machine-readable error code." }),
      error: z.string().openapi({ description: "A human sentence; never holds a secret." }),
      request_id: z
        .string()
        .openapi({ description: "Also in the X-Request-Id header; quote it when reporting." }),
      details: detailsField,
    })
    .openapi({
      example: {
        success: false,
        code: example,
        error: text,
        request_id: "0f9d…",
        ...(example === "INVALID_REQUEST"
          ? { details: [{ path: ["limit"], message: "must be a whole number from 1 to 100" }] }
          : {}),
      },
    });
}

/**
 * The error responses every /public/v1 operation may give, by HTTP status: the codes each one
 * carries and whether the answer comes after authentication (then it has the rate-limit headers).
 */
export const ERROR_RESPONSES = {
  400: {
    component: "BadRequest",
    codes: ["INVALID_REQUEST"],
    afterAuth: true,
    description:
      "A query or path parameter, a header or a body field is invalid (or the body is not valid JSON); the message names it and what is allowed, and `details` lists each offending field with its path.",
    example: 'Invalid query parameter "limit": must be a whole number from 1 to 100',
  },
  401: {
    component: "Unauthorized",
    codes: ["UNAUTHORIZED", "TOKEN_INVALID", "TOKEN_REVOKED", "TOKEN_EXPIRED"],
    afterAuth: false,
    description:
      "No Bearer credential (UNAUTHORIZED), a malformed or unknown key (TOKEN_INVALID), a revoked key (TOKEN_REVOKED) or an expired one (TOKEN_EXPIRED).",
    example: "The API key has been revoked.",
  },
  403: {
    component: "Forbidden",
    codes: ["INSUFFICIENT_SCOPE"],
    afterAuth: true,
    description: "The key lacks the scope this operation requires; the message names it.",
    example: "API key missing required scope: printers:read",
  },
  404: {
    component: "NotFound",
    codes: ["NOT_FOUND"],
    afterAuth: true,
    description:
      "No such resource in the key's organization (another organization's ids included).",
    example: "Printer not found.",
  },
  409: {
    component: "Conflict",
    codes: ["INVALID_STATE", "CONFLICT"],
    afterAuth: true,
    description:
      "The action does not fit the resource's current state (INVALID_STATE names both), or a request with the same Idempotency-Key is still being answered (CONFLICT).",
    example: 'Cannot pause a printer that is "idle"; "pause" needs "printing".',
  },
  413: {
    component: "PayloadTooLarge",
    codes: ["PAYLOAD_TOO_LARGE"],
    afterAuth: false,
    description: "The request body is larger than 64 KiB.",
    example: "Request bodies of /public/v1 may be at most 64 KiB.",
  },
  415: {
    component: "UnsupportedMediaType",
    codes: ["UNSUPPORTED_MEDIA_TYPE"],
    afterAuth: true,
    description: "The request body is not sent as `application/json`.",
    example: "Send the body as application/json.",
  },
  422: {
    component: "UnprocessableEntity",
    codes: ["IDEMPOTENCY_KEY_REUSED"],
    afterAuth: true,
    description: "The Idempotency-Key was used with a different request within the last 24 hours.",
    example:
      "This Idempotency-Key was used with a different request in the last 24 hours; use a new key for a new request.",
  },
  429: {
    component: "TooManyRequests",
    codes: ["RATE_LIMITED"],
    afterAuth: true,
    description:
      "The key's budget for the window is spent, or too many failed authentications came from this address. Retry-After says when to try again.",
    example: "This API key's budget of 120 requests per 60 s is spent; try again in 12 s.",
  },
  500: {
    component: "InternalError",
    codes: ["INTERNAL_ERROR"],
    afterAuth: false,
    description: "Something went wrong on our side; the body holds no internals.",
    example: "Something went wrong on our side.",
  },
  503: {
    component: "Unavailable",
    codes: ["UNAVAILABLE"],
    afterAuth: false,
    description: "A dependency is down; try again shortly.",
    example: "Keys cannot be checked right now; try again shortly.",
  },
} as const satisfies Record<
  number,
  {
    component: string;
    codes: readonly [ErrorCode, ...ErrorCode[]];
    afterAuth: boolean;
    description: string;
    example: string;
  }
>;

export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** The 503 of operations that go through a printer's agent: more codes than a plain outage. */
export const HUB_UNAVAILABLE_RESPONSE = {
  component: "HubUnavailable",
  codes: ["HUB_OFFLINE", "HUB_COMMAND_FAILED", "UNAVAILABLE"],
  afterAuth: true,
  description:
    "HUB_OFFLINE: the printer's agent has no open command channel, nothing was sent. HUB_COMMAND_FAILED: the agent could not carry it out (OctoPrint refused, naming its status, or did not answer). UNAVAILABLE: a dependency is down.",
  example: "The printer's agent has no open command channel; nothing was sent.",
} as const;

/**
 * The 503 of the analytics reports read from the daily rollups (production, printers, failures,
 * inventory): the organization's time zone changed and its days are being regrouped.
 */
export const ANALYTICS_UNAVAILABLE_RESPONSE = {
  component: "AnalyticsUnavailable",
  codes: ["ANALYTICS_REGROUPING", "UNAVAILABLE"],
  afterAuth: true,
  description:
    "ANALYTICS_REGROUPING: the organization's time zone was just changed and its daily figures are being regrouped into the new zone's days, in the background (seconds; about a minute for millions of jobs); rather than figures in the old zone's days, the report answers this, with Retry-After. Try again then. UNAVAILABLE: a dependency is down.",
  example:
    "The organization's daily figures are being regrouped into its new time zone (America/New_York); try again in a few seconds.",
} as const;

/** The header component of the RFC 6750 challenge every /public/v1 401 carries (components.ts). */
export const CHALLENGE_HEADER = "WWW-Authenticate";

/**
 * An error response with its own list of codes (an operation whose errors are more specific than
 * the shared ones of its status, such as the upload's 413 FILE_TOO_LARGE). A 401's (its codes
 * include UNAUTHORIZED, which only a 401 carries) declares the WWW-Authenticate challenge that
 * errors.ts sends with every 401, as the shared Unauthorized response does.
 */
export function codedErrorResponse(
  codes: readonly [ErrorCode, ...ErrorCode[]],
  description: string,
  example: string,
) {
  return {
    description,
    ...(codes.includes("UNAUTHORIZED")
      ? { headers: { [CHALLENGE_HEADER]: { $ref: `#/components/headers/${CHALLENGE_HEADER}` } } }
      : {}),
    content: { "application/json": { schema: errorBody(codes, codes[0], example) } },
  };
}

/** The zod schema of each error status's body, for components.schemas. */
export function errorSchemas() {
  return [
    ...Object.values(ERROR_RESPONSES),
    HUB_UNAVAILABLE_RESPONSE,
    ANALYTICS_UNAVAILABLE_RESPONSE,
  ].map((spec) => ({
    name: `${spec.component}Error`,
    schema: errorBody(spec.codes, spec.codes[0], spec.example),
  }));
}

/** The envelope of any error, with every code: the error body of /api and /agent/v1. */
export const anyErrorSchema = z
  .object({
    success: z.literal(false),
    code: z.enum(ERROR_CODES),
    error: z.string(),
    request_id: z.string(),
    details: detailsField,
  })
  .openapi("Error");

const ERROR_DESCRIPTIONS = {
  400: "INVALID_REQUEST: a body field or parameter is invalid; the message names it and `details` lists each offending field with its path.",
  401: "UNAUTHORIZED, TOKEN_INVALID, TOKEN_REVOKED, TOKEN_EXPIRED or INVALID_CREDENTIALS.",
  403: "FORBIDDEN: the caller's role does not allow this, or a cross-origin cookie write.",
  404: "NOT_FOUND: no such resource in this organization (or not a member of it).",
  409: "CONFLICT: the change would break a rule (duplicate, last owner, stock below zero); INVALID_STATE: the action does not fit the printer's status.",
  413: "PAYLOAD_TOO_LARGE: the body is larger than this operation accepts.",
  415: "UNSUPPORTED_MEDIA_TYPE: send the body as application/json.",
  422: "IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another request within 24 hours.",
  429: "RATE_LIMITED: too many attempts; see Retry-After.",
  503: "UNAVAILABLE: a dependency is down; try again shortly. On control: HUB_OFFLINE (the printer's agent has no open command channel) or HUB_COMMAND_FAILED (the agent could not carry it out). On the analytics reports: ANALYTICS_REGROUPING (the organization's time zone just changed and its daily figures are being regrouped into the new zone; try again after Retry-After seconds).",
} as const;

type AnyErrorStatus = keyof typeof ERROR_DESCRIPTIONS;
type AnyErrorResponse = {
  description: string;
  content: { "application/json": { schema: typeof anyErrorSchema } };
};

/** The error responses an /api or /agent/v1 route documents, in the shared envelope. */
export function errors<S extends AnyErrorStatus>(...statuses: S[]): { [K in S]: AnyErrorResponse } {
  const responses: Partial<Record<AnyErrorStatus, AnyErrorResponse>> = {};
  for (const status of statuses) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { "application/json": { schema: anyErrorSchema } },
    };
  }
  return responses as { [K in S]: AnyErrorResponse };
}
