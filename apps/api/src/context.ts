import type { Database, DatabaseKind } from "@apf/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Env } from "./env.ts";
import type { CommandBus } from "./services/control/bus.ts";
import type { EventLog } from "./services/events/index.ts";
import type { FileStore } from "./services/file-store/index.ts";
import type { GithubKeySet } from "./services/github-keys.ts";
import type { OrgChanges } from "./services/org-changes.ts";
import type { Dispatcher } from "./services/print-queue/dispatcher.ts";
import type { PrintFileLinks } from "./services/print-queue/transfer.ts";
import type { RateLimiterFactory } from "./services/rate-limiter.ts";
import type { Webhooks } from "./services/webhooks/index.ts";

/** The time source; tests swap it, never the database. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Everything a handler may depend on, built once in server.ts (or a test) and handed to createApp. */
export interface Services {
  db: Database;
  dbKind: DatabaseKind;
  /** Resolves when the database answers. */
  pingDb(): Promise<void>;
  /** Postgres pool connections, for /metrics (absent on PGlite). */
  dbPool?(): { total: number; idle: number; waiting: number };
  /** Null when REDIS_URL is not set: limits are then per process. */
  redis: Redis | null;
  rateLimiters: RateLimiterFactory;
  /** Wakes agents' command channels and waiting control requests, across instances with Redis. */
  commandBus: CommandBus;
  /** Which organizations' printers, jobs and SKUs changed, as Postgres announces (LISTEN). */
  orgChanges: OrgChanges;
  /** The print queue's dispatcher (auto-start) and sweep, running once per Services. */
  dispatcher: Dispatcher;
  /** The event log's relay, stream hub and sweep, running once per Services. */
  events: EventLog;
  /** Webhook deliveries: the queue (graphile-worker on Postgres) and this instance's worker. */
  webhooks: Webhooks;
  /** Mints a print file's signed agent download link (the files capability). */
  printFileLinks: PrintFileLinks;
  logger: Logger;
  clock: Clock;
  config: Env;
  /** GitHub's secret-scanning keys (APF_GITHUB_KEYS), read on first use and cached. */
  githubKeys: GithubKeySet;
  /** Where print files and thumbnails live (APF_FILE_STORE). */
  fileStore: FileStore;
  /** Signs upload tokens and agents' download links (APF_UPLOAD_SECRET); never logged. */
  uploadSecret: Buffer;
}

/** Who called /public/v1: set by the api-key-auth middleware. */
export interface ApiKeyPrincipal {
  keyId: string;
  organizationId: string;
  name: string;
  scopes: readonly string[];
  /** The key's budget per minute (its own, or the default). */
  rateLimitPerMinute: number;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** What /me and CORS need of the verified key beyond the principal. */
export interface ApiKeyDetails {
  preview: string;
  organization: { id: string; name: string; allowedOrigins: readonly string[] };
}

/** A budget spend started early for a key and budget; meterKeyBudget uses it when they match. */
export interface EarlyBudgetSpend {
  keyId: string;
  limit: number;
  result: Promise<BudgetSpend | null>;
}

/** What spending one point of a budget found (null: the limiter failed and let it through). */
export interface BudgetSpend {
  remainingPoints: number;
  msBeforeNext: number;
  allowed: boolean;
}

/** Who called /api: set by the session-auth middleware. */
export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  email: string;
  /** True when the session came from the apf_session cookie (CSRF rules apply to writes). */
  viaCookie: boolean;
}

/** Which agent called /agent/v1: set by the agent-auth middleware. */
export interface AgentPrincipal {
  agentId: string;
  organizationId: string;
}

/** The typed Hono environment of every route. `auth` is filled by the auth middlewares. */
export interface AppEnv {
  Variables: {
    services: Services;
    requestId: string;
    /** The client address: the socket peer unless TRUST_PROXY names a header to believe. */
    clientIp: string;
    apiKey: ApiKeyPrincipal;
    /** The verified key's preview and organization, set with apiKey. */
    apiKeyDetails: ApiKeyDetails;
    /** Set by meterKeyBudget when the key's budget is spent: seconds until it refills. */
    keyBudgetRetryAfterS: number;
    /** A spend of a cached key's budget started while its version was being confirmed. */
    keyBudgetSpend: EarlyBudgetSpend;
    /**
     * Ids of keys whose last_used_at write is in flight, shared by every request of one app
     * (createApp makes it), so a burst of requests writes once.
     */
    keyTouches: Set<string>;
    session: SessionPrincipal;
    agent: AgentPrincipal;
  };
}
