import { CENSORED, isSecretField, redactSecrets } from "@apf/auth";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

/** Header and field paths that never reach a log line. */
const REDACT_PATHS = [
  "authorization",
  "cookie",
  "password",
  "token",
  "key",
  "session_token",
  "accept_token",
  "invitation_token",
  "*.authorization",
  "*.Authorization",
  "*.cookie",
  "*.Cookie",
  "*.password",
  "*.token",
  "*.key",
  "*.session_token",
  "*.accept_token",
  "*.invitation_token",
  "*.x-api-key",
  "*.set-cookie",
  "headers.*",
];

/** SHA-256 hex digests (token hashes) and argon2 PHC strings (password hashes). */
const HASHES = /\b[0-9a-f]{64}\b|\$argon2(?:id|i|d)\$[A-Za-z0-9+/=$,.-]+/g;
/** drizzle puts a failed query's parameters after "params:" in its messages and stacks. */
const QUERY_PARAMS = /\nparams: [^\n]*/g;

/** A string fit for a log line: no token, no hash, no query parameters. */
export function scrubText(text: string): string {
  return redactSecrets(text)
    .replace(QUERY_PARAMS, "\nparams: [redacted]")
    .replace(HASHES, "[hash]");
}

function scrubError(error: Error, depth: number): Record<string, unknown> {
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    message: scrubText(error.message),
    ...(typeof code === "string" ? { code } : {}),
    stack: error.stack && scrubText(error.stack),
    // The driver's own error (SQLSTATE and message) is what an operator needs.
    ...(error.cause instanceof Error && depth < 3
      ? { cause: scrubError(error.cause, depth + 1) }
      : {}),
  };
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return scrubError(value, 0);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSecretField(k) ? CENSORED : scrub(v, depth + 1)]),
  );
}

/**
 * JSON logs. Secrets are kept out twice: known paths are censored, and any string anywhere that
 * looks like an apf_ token is cut to its preview.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: "apf-api" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    formatters: {
      log: (object) => scrub(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === "string" ? scrubText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
