import type { Database, DatabaseKind } from "@apf/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Env } from "./env.ts";
import type { JobStatsRegrouper } from "./modules/analytics/regroup.ts";
import type { Actor, OrgActor } from "./modules/audit/audit.ts";
import type { CommandBus } from "./modules/control/bus.ts";
import type { EventLog } from "./modules/events/index.ts";
import type { JobsListCache } from "./modules/jobs/jobs-list-cache.ts";
import type { GithubKeySet } from "./modules/keys/github-keys.ts";
import type { KeyCache } from "./modules/keys/key-cache.ts";
import type { KeyTouches } from "./modules/keys/key-touches.ts";
import type { Dispatcher } from "./modules/print-queue/dispatcher.ts";
import type { PrintFileLinks } from "./modules/print-queue/transfer.ts";
import type { PrinterListCache } from "./modules/printers/printer-list-cache.ts";
import type { Webhooks } from "./modules/webhooks/index.ts";
import type { EncodedBodies } from "./platform/encoded-bodies.ts";
import type { FileStore } from "./platform/file-store/index.ts";
import type { Metrics } from "./platform/metrics.ts";
import type { OrgChanges } from "./platform/org-changes.ts";
import type { RateLimiterFactory } from "./platform/rate-limiter.ts";

/** The time source; tests swap it, never the database. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What buildServices opens or reads first (connections, clients, configuration): everything the
 * stateful parts of Services are built over.
 */
export interface Platform {
  db: Database;
  /**
   * The database for long background work (the analytics regrouping): no query timeout on
   * Postgres (a pool of one connection of its own); `db` itself on PGlite.
   */
  maintenanceDb: Database;
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

/**
 * Everything a handler may depend on: the platform and the stateful parts built over it, each
 * explicitly, in services/build.ts (once per API instance, or per test) and handed to createApp.
 */
export interface Services extends Platform {
  /** The print queue's dispatcher (auto-start) and sweep. */
  dispatcher: Dispatcher;
  /** The background regrouping of analytics rollups after a time-zone change. */
  jobStats: JobStatsRegrouper;
  /** The event log's relay, stream hub and sweep, running once per Services. */
  events: EventLog;
  /** Webhook deliveries: the queue (graphile-worker on Postgres) and this instance's worker. */
  webhooks: Webhooks;
  /** Verified API keys kept in process, confirmed against Redis on every request. */
  keyCache: KeyCache;
  /** The API keys' last_used_at writes, off the request path. */
  keyTouches: KeyTouches;
  /** Each organization's serialised printer list. */
  printerListCache: PrinterListCache;
  /** Each organization's serialised job-list pages. */
  jobsListCache: JobsListCache;
  /** Compressed copies of the cached answers' bytes. */
  encodedBodies: EncodedBodies;
  /** This instance's Prometheus metrics. */
  metrics: Metrics;
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

/** What every request carries from the first middleware on (app.ts). */
interface RequestVariables {
  services: Services;
  requestId: string;
  /** The client address: the socket peer unless TRUST_PROXY names a header to believe. */
  clientIp: string;
}

/** What the auth middlewares set, each on its own surface. */
interface AuthVariables {
  /** The calling API key (api-key-auth, /public/v1). */
  apiKey: ApiKeyPrincipal;
  /** The verified key's preview and organization, set with apiKey. */
  apiKeyDetails: ApiKeyDetails;
  /** Set by meterKeyBudget when the key's budget is spent: seconds until it refills. */
  keyBudgetRetryAfterS: number;
  /** A spend of a cached key's budget started while its version was being confirmed. */
  keyBudgetSpend: EarlyBudgetSpend;
  /** The member's session (session-auth, /api). */
  session: SessionPrincipal;
  /** The calling agent (agent-auth, /agent/v1). */
  agent: AgentPrincipal;
  /** Who acts, set by whichever auth middleware ran; audit events record it. */
  actor: Actor;
}

/**
 * The Hono environment of any request, before (or without) a credential: what an auth
 * middleware sets may be absent. Shared middleware and the open routes see this.
 */
export interface AppEnv {
  Variables: RequestVariables & Partial<AuthVariables>;
}

/** A /public/v1 operation after api-key-auth: the key, its details and its actor are present. */
export interface PublicEnv {
  Variables: AppEnv["Variables"] &
    Pick<AuthVariables, "apiKey" | "apiKeyDetails"> & { actor: OrgActor };
}

/** An /api route after session-auth: the session and the member as actor are present. */
export interface SessionEnv {
  Variables: AppEnv["Variables"] & Pick<AuthVariables, "session" | "actor">;
}

/** An /agent/v1 route after agent-auth: the agent and its actor are present. */
export interface AgentEnv {
  Variables: AppEnv["Variables"] & Pick<AuthVariables, "agent"> & { actor: OrgActor };
}
