import { isDatabaseUnreachable, sqlState } from "@apf/db";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./context.ts";
import { DomainError, ERROR_CODES, type ErrorCode, type FieldIssue } from "./domain-error.ts";
import { json } from "./openapi/respond.ts";

export { ERROR_CODES, type ErrorCode, sqlState };

/**
 * The one table from error code to HTTP status: every code of the union (domain-error.ts), each
 * once. Operations throw DomainError; onError answers with the status named here.
 */
export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  TOKEN_INVALID: 401,
  TOKEN_REVOKED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  INSUFFICIENT_SCOPE: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  UNAVAILABLE: 503,
  HUB_OFFLINE: 503,
  HUB_COMMAND_FAILED: 503,
  ANALYTICS_REGROUPING: 503,
  // The print queue (AutoPrintFarm's codes, on enqueue and start).
  JOB_NOT_FOUND: 404,
  PRINTER_NOT_FOUND: 404,
  SKU_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  JOB_STATE_CHANGED: 409,
  NO_PRINTER_ASSIGNED: 400,
  PRINTER_UNAVAILABLE: 400,
  PRINTER_MODEL_MISMATCH: 400,
  NO_HUB_ASSIGNED: 400,
  // Print files: the three-step upload, file records and the agent's download links.
  FILE_TOO_LARGE: 413,
  NO_CONTENT: 400,
  LENGTH_REQUIRED: 411,
  INVALID_TOKEN: 401,
  UNSUPPORTED_FILE_TYPE: 415,
  FILE_NOT_UPLOADED: 400,
  DUPLICATE_NAME: 409,
  PRODUCT_NOT_FOUND: 404,
  FILE_IN_USE: 409,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

/** Headers every answer of a code carries, whoever raised it. */
const CODE_HEADERS: Partial<Record<ErrorCode, Record<string, string>>> = {
  // The upload's body was cut off unread: the connection cannot carry another request.
  FILE_TOO_LARGE: { Connection: "close" },
};

/** The HTTP status of an error code. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return ERROR_STATUS[code];
}

/**
 * A failure the HTTP layer (routes, middleware) raises: a DomainError that may also carry
 * response headers (Allow, WWW-Authenticate…). Operations below the routes throw DomainError.
 */
export class ApiError extends DomainError {
  override name = "ApiError";
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    headers: Record<string, string> = {},
    fields: Record<string, unknown> = {},
  ) {
    super(code, message, { fields });
    this.headers = headers;
  }
}

export interface ErrorBody {
  success: false;
  code: ErrorCode;
  error: string;
  request_id: string;
  /** On INVALID_REQUEST: each offending field (empty when no field is to blame). */
  details?: FieldIssue[];
  [field: string]: unknown;
}

/** The surfaces whose credentials are Bearer tokens (API keys, agent tokens). */
const BEARER_SURFACES = ["/public/v1/", "/agent/v1/"];
/** 401 codes for a token that was presented but is not (or no longer) good. */
const BAD_TOKEN_CODES: ReadonlySet<ErrorCode> = new Set([
  "TOKEN_INVALID",
  "TOKEN_REVOKED",
  "TOKEN_EXPIRED",
]);

/**
 * The RFC 6750 challenge of a 401 on a Bearer surface: `Bearer realm="apf"`, with
 * `error="invalid_token"` when a token was presented but is malformed, unknown, revoked or expired
 * (no error attribute when none was sent). Undefined elsewhere.
 */
function bearerChallenge(c: Context<AppEnv>, error: DomainError): string | undefined {
  if (statusOf(error.code) !== 401 || !BEARER_SURFACES.some((p) => c.req.path.startsWith(p))) {
    return undefined;
  }
  return BAD_TOKEN_CODES.has(error.code)
    ? 'Bearer realm="apf", error="invalid_token"'
    : 'Bearer realm="apf"';
}

/**
 * Writes the error envelope; the one place an error (a DomainError, or an ApiError of the HTTP
 * layer) becomes an HTTP response. Every INVALID_REQUEST carries `details`.
 */
export function errorResponse(c: Context<AppEnv>, error: DomainError): Response {
  const body: ErrorBody = {
    ...(error.code === "INVALID_REQUEST" ? { details: [] } : {}),
    ...error.fields,
    success: false,
    code: error.code,
    error: error.message,
    request_id: c.get("requestId") ?? "",
  };
  const challenge = bearerChallenge(c, error);
  if (challenge) c.header("WWW-Authenticate", challenge);
  if (error.retryAfterS !== undefined) c.header("Retry-After", String(error.retryAfterS));
  for (const [name, value] of Object.entries(CODE_HEADERS[error.code] ?? {})) c.header(name, value);
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  }
  return json(c, body, statusOf(error.code));
}

function fromHttpException(error: HTTPException): ApiError {
  switch (error.status) {
    case 400:
      return new ApiError("INVALID_REQUEST", error.message || "The request is malformed.");
    case 401:
      return new ApiError("UNAUTHORIZED", error.message || "Authentication is required.");
    case 403:
      return new ApiError("FORBIDDEN", error.message || "This request is not allowed.");
    case 404:
      return new ApiError("NOT_FOUND", "No such resource.");
    case 413:
      return new ApiError("PAYLOAD_TOO_LARGE", error.message || "The request body is too large.");
    case 415:
      return new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
    default:
      return new ApiError("INTERNAL_ERROR", "Something went wrong on our side.");
  }
}

/**
 * Backstop for database errors a handler did not foresee: a value the database cannot hold is
 * the client's (400), a lost connection is a dependency being down (503). Null: a real bug.
 */
function fromDatabase(error: unknown): ApiError | null {
  const state = sqlState(error);
  // 57014: statement_timeout (or a cancel) ended the statement; the database is overloaded.
  if (isDatabaseUnreachable(error) || state === "57014") {
    return new ApiError("UNAVAILABLE", "The database is unavailable; try again shortly.", {
      "Retry-After": "5",
    });
  }
  if (!state) return null;
  if (state.startsWith("22")) {
    return new ApiError(
      "INVALID_REQUEST",
      "A value in the request cannot be stored (out of range, or a character such as NUL that is not allowed).",
    );
  }
  if (state.startsWith("08") || state.startsWith("57P") || state === "53300") {
    return new ApiError("UNAVAILABLE", "The database is unavailable; try again shortly.", {
      "Retry-After": "5",
    });
  }
  return null;
}

/**
 * Hono onError: DomainErrors (ApiErrors included) as they are, with the status of their code;
 * anything else as INTERNAL_ERROR with nothing internal.
 */
export function onError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof DomainError) return errorResponse(c, error);
  if (error instanceof HTTPException && error.status < 500) {
    return errorResponse(c, fromHttpException(error));
  }
  const context = {
    err: error,
    request_id: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
  };
  const mapped = fromDatabase(error);
  if (mapped) {
    c.get("services").logger.warn(context, `database refused the request: ${mapped.code}`);
    return errorResponse(c, mapped);
  }
  c.get("services").logger.error(context, "unhandled error");
  return errorResponse(c, new ApiError("INTERNAL_ERROR", "Something went wrong on our side."));
}
