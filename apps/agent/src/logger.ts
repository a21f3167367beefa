import { CENSORED, isSecretField, redactSecrets } from "@apf/auth";
import { type DestinationStream, type Level, type Logger, pino } from "pino";

/** Scrubs secrets from log output: token-shaped strings, header values and known secrets. */
export interface Redactor {
  /** Remembers a secret value (an OctoPrint key, the agent token) to scrub wherever it appears. */
  add(secret: string): void;
  redact(text: string): string;
}

// Short secrets would scrub ordinary words; real OctoPrint keys and agent tokens are far longer.
const MIN_KNOWN_SECRET = 8;

/** Creates an empty {@link Redactor}. */
export function createRedactor(): Redactor {
  const known = new Set<string>();
  return {
    add(secret) {
      if (secret.length >= MIN_KNOWN_SECRET) known.add(secret);
    },
    redact(text) {
      let out = redactSecrets(text);
      for (const secret of known) out = out.split(secret).join(CENSORED);
      return out;
    },
  };
}

function scrub(value: unknown, redactor: Redactor, depth: number): unknown {
  if (typeof value === "string") return redactor.redact(value);
  if (typeof value !== "object" || value === null || depth > 6) return value;
  if (value instanceof Error) {
    const code = (value as NodeJS.ErrnoException).code;
    return {
      type: value.name,
      message: redactor.redact(value.message),
      stack: value.stack ? redactor.redact(value.stack) : undefined,
      ...(code ? { code } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretField(key) ? CENSORED : scrub(item, redactor, depth + 1);
  }
  return out;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: Level | "silent";
  redactor?: Redactor;
  /** Default: stdout, written synchronously so nothing is lost on exit. */
  destination?: DestinationStream;
}

/** The pino log levels `--log-level` accepts. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** JSON lines (pino) with every message and field passed through the redactor. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redactor = options.redactor ?? createRedactor();
  return pino(
    {
      name: "apf-agent",
      level: options.level ?? "info",
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          const clean = args.map((arg) => scrub(arg, redactor, 0)) as Parameters<typeof method>;
          method.apply(this, clean);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
