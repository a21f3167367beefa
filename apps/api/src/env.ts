import { z } from "zod";
import { GITHUB_SECRET_SCANNING_KEYS_URL } from "./modules/keys/github-keys.ts";
import { parseFileStoreLocation } from "./platform/file-store/index.ts";

const TRUST_PROXY_VALUES = ["none", "x-forwarded-for", "x-real-ip", "cf-connecting-ip"] as const;
export type TrustProxy = (typeof TRUST_PROXY_VALUES)[number];

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "a postgres:// or postgresql:// URL");
const redisUrl = z.string().refine((v) => /^rediss?:\/\/.+/.test(v), "a redis:// or rediss:// URL");

function millis(min: number, max: number, fallback: number) {
  const message = `a whole number of milliseconds from ${min} to ${max}`;
  return z.coerce
    .number({ error: message })
    .int(message)
    .min(min, message)
    .max(max, message)
    .default(fallback);
}

/** Every environment variable the service reads, with its default. */
export const envSchema = z.object({
  PORT: z.coerce
    .number({ error: "a port number from 0 to 65535" })
    .int("a whole port number from 0 to 65535")
    .min(0, "a port number from 0 to 65535")
    .max(65535, "a port number from 0 to 65535")
    .default(8080),
  HOST: z.string().min(1, "a host name or address to listen on").default("127.0.0.1"),
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  APF_DATA_DIR: z.string().min(1, "a directory path").default("./.apf"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  APF_SIGNUP: z.enum(["open", "closed"], { error: "open or closed" }).default("open"),
  TRUST_PROXY: z
    .enum(TRUST_PROXY_VALUES, { error: `one of ${TRUST_PROXY_VALUES.join(", ")}` })
    .default("none"),
  /** Seconds without a report after which a printer reads offline. */
  APF_STALE_AFTER_S: z.coerce
    .number({ error: "a whole number of seconds from 5 to 86400" })
    .int("a whole number of seconds from 5 to 86400")
    .min(5, "a whole number of seconds from 5 to 86400")
    .max(86400, "a whole number of seconds from 5 to 86400")
    .default(60),
  /** Serve GET /metrics (Prometheus text, no credential) on this port only; off when unset. */
  METRICS_PORT: z.coerce
    .number({ error: "a port number from 1 to 65535" })
    .int("a whole port number from 1 to 65535")
    .min(1, "a port number from 1 to 65535")
    .max(65535, "a port number from 1 to 65535")
    .optional(),
  /** Serve GET /metrics on the API's port to `Authorization: Bearer <METRICS_TOKEN>` only. */
  METRICS_TOKEN: z.string().min(16, "a secret of at least 16 characters").optional(),
  /** Give up connecting to Postgres after this long; the request then answers 503. */
  APF_DB_CONNECT_TIMEOUT_MS: millis(100, 60_000, 1000),
  /** Give up on one database statement after this long (client side and statement_timeout). */
  APF_DB_QUERY_TIMEOUT_MS: millis(100, 600_000, 1500),
  /** A client must have sent the request headers within this long (slowloris). */
  APF_HEADERS_TIMEOUT_MS: millis(1000, 600_000, 10_000),
  /** A client must have sent the whole request (headers and body) within this long. */
  APF_REQUEST_TIMEOUT_MS: millis(1000, 3_600_000, 30_000),
  /** Most TCP connections one process holds open at once; more are refused at accept. */
  APF_MAX_CONNECTIONS: z.coerce
    .number({ error: "a whole number from 1 to 1000000" })
    .int("a whole number from 1 to 1000000")
    .min(1, "a whole number from 1 to 1000000")
    .max(1_000_000, "a whole number from 1 to 1000000")
    .default(1024),
  /** GitHub's secret-scanning key set: a file path or an http(s) URL. */
  APF_GITHUB_KEYS: z
    .string()
    .min(1, "a file path or an http(s) URL")
    .default(GITHUB_SECRET_SCANNING_KEYS_URL),
  /** Where print files live: unset → `<APF_DATA_DIR>/files`; `file:///abs/path`; `s3://bucket/prefix?endpoint=…&region=…`. */
  APF_FILE_STORE: z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseFileStoreLocation(value, ".");
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    })
    .optional(),
  /** Largest print file accepted by an upload, in MiB (decimal megabytes of 2^20 bytes). */
  APF_MAX_FILE_MB: z.coerce
    .number({ error: "a whole number of megabytes from 1 to 10240" })
    .int("a whole number of megabytes from 1 to 10240")
    .min(1, "a whole number of megabytes from 1 to 10240")
    .max(10240, "a whole number of megabytes from 1 to 10240")
    .default(100),
  /**
   * The key that signs upload tokens and agents' download links. Unset: on the embedded database
   * generated once into `<APF_DATA_DIR>/upload-secret`, else a key of the process (with a warning);
   * instances behind one load balancer need the same value.
   */
  APF_UPLOAD_SECRET: z.string().min(32, "a secret of at least 32 characters").optional(),
  /**
   * `1` lets webhook endpoints use plain http:// and private, loopback or link-local addresses
   * (tests, on-premise, development); `0` (default) refuses them at creation and at delivery.
   */
  APF_WEBHOOKS_ALLOW_PRIVATE: z.enum(["0", "1"], { error: "0 or 1" }).default("0"),
  /**
   * Seconds from a failed webhook attempt to the next, one per retry (jitter ±10 % added);
   * after the last, the delivery fails. Tests shorten it; the code path stays the same.
   */
  APF_WEBHOOK_RETRY_SCHEDULE_S: z
    .string()
    .regex(
      /^\d+(\.\d+)?(,\d+(\.\d+)?){0,19}$/,
      "1 to 20 numbers of seconds separated by commas, e.g. 5,300,1800",
    )
    .default("5,300,1800,7200,18000,36000,36000"),
  /** Run the demo (seeded organization, simulated printers, in-process agent) on embedded PGlite. */
  APF_DEMO: z.enum(["auto", "on", "off"], { error: "auto, on or off" }).default("auto"),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment once; an empty string counts as unset. Throws ConfigError naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const given = cleaned[name];
  const shown =
    name.endsWith("_URL") ||
    name.endsWith("_TOKEN") ||
    name.endsWith("_SECRET") ||
    name === "APF_FILE_STORE"
      ? "(value hidden)"
      : JSON.stringify(given);
  throw new ConfigError(`invalid ${name}=${shown}: expected ${issue.message}`);
}

/**
 * Demo data and live simulated printers: by default only on the embedded database, so a
 * production server (DATABASE_URL set) never even loads the demo module.
 */
export function demoEnabled(env: Env, dbKind: "embedded" | "postgres"): boolean {
  if (env.APF_DEMO === "off") return false;
  if (env.APF_DEMO === "on") return true;
  return dbKind === "embedded";
}
