import { redactTokens } from "@apf/auth";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

/** Header and field paths that never reach a log line. */
const REDACT_PATHS = [
  "authorization",
  "cookie",
  "password",
  "token",
  "key",
  "session_token",
  "*.authorization",
  "*.Authorization",
  "*.cookie",
  "*.Cookie",
  "*.password",
  "*.token",
  "*.key",
  "*.session_token",
  "*.x-api-key",
  "*.set-cookie",
  "headers.*",
];

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactTokens(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactTokens(value.message),
      stack: value.stack && redactTokens(value.stack),
    };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
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
          args.map((a) => (typeof a === "string" ? redactTokens(a) : a)) as Parameters<
            typeof method
          >,
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
