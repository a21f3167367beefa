/**
 * Every error code a client can see, on every surface: one union. Operations below the routes
 * throw a DomainError with one of these; errors.ts maps each code to an HTTP status in one table.
 */
export const ERROR_CODES = [
  "INVALID_REQUEST",
  "UNAUTHORIZED",
  "TOKEN_INVALID",
  "TOKEN_REVOKED",
  "TOKEN_EXPIRED",
  "INVALID_CREDENTIALS",
  "INSUFFICIENT_SCOPE",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONFLICT",
  "INVALID_STATE",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "IDEMPOTENCY_KEY_REUSED",
  "RATE_LIMITED",
  "INTERNAL_ERROR",
  "UNAVAILABLE",
  "HUB_OFFLINE",
  "HUB_COMMAND_FAILED",
  // Analytics: the organization's daily figures are being regrouped into its new time zone.
  "ANALYTICS_REGROUPING",
  // The print queue (AutoPrintFarm's codes, on enqueue and start).
  "JOB_NOT_FOUND",
  "PRINTER_NOT_FOUND",
  "SKU_NOT_FOUND",
  "FILE_NOT_FOUND",
  "JOB_STATE_CHANGED",
  "NO_PRINTER_ASSIGNED",
  "PRINTER_UNAVAILABLE",
  "PRINTER_MODEL_MISMATCH",
  "NO_HUB_ASSIGNED",
  // Print files: the three-step upload, file records and the agent's download links.
  "FILE_TOO_LARGE",
  "NO_CONTENT",
  "LENGTH_REQUIRED",
  "INVALID_TOKEN",
  "UNSUPPORTED_FILE_TYPE",
  "FILE_NOT_UPLOADED",
  "DUPLICATE_NAME",
  "PRODUCT_NOT_FOUND",
  "FILE_IN_USE",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Failures on our side or a dependency's (not the caller's request): a retry may succeed, so
 * nothing remembers them as the answer to a request (an Idempotency-Key is freed again).
 */
export const OUR_SIDE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "INTERNAL_ERROR",
  "UNAVAILABLE",
  "HUB_OFFLINE",
  "HUB_COMMAND_FAILED",
  "ANALYTICS_REGROUPING",
]);

/** One field's complaint: where it is (keys and indexes, e.g. ["machines", 3, "name"]) and what. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export interface DomainErrorOptions {
  /** Structured fields the error envelope carries besides code and error (snake_case). */
  fields?: Record<string, unknown>;
  /** Seconds after which trying again makes sense (a limit, a dependency coming back). */
  retryAfterS?: number;
}

/**
 * A refusal of an operation, in the product's words: a code from ERROR_CODES and a human
 * sentence. It knows nothing of HTTP; errors.ts turns it into a status and the envelope.
 */
export class DomainError extends Error {
  override name = "DomainError";
  readonly code: ErrorCode;
  readonly fields: Record<string, unknown>;
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.code = code;
    this.fields = options.fields ?? {};
    this.retryAfterS = options.retryAfterS;
  }
}
