import { createDatabase, describeMigrations } from "@apf/db";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { type Platform, type Services, systemClock } from "../context.ts";
import type { Env } from "../env.ts";
import {
  createJobStatsRegrouper,
  type JobStatsRegrouperOptions,
} from "../modules/analytics/regroup.ts";
import { createInProcessBus, createRedisBus } from "../modules/control/bus.ts";
import { createEventLog, type EventLogOptions } from "../modules/events/index.ts";
import { createJobsListCache } from "../modules/jobs/jobs-list-cache.ts";
import { createGithubKeySet } from "../modules/keys/github-keys.ts";
import { createKeyCache } from "../modules/keys/key-cache.ts";
import { createKeyTouches } from "../modules/keys/key-touches.ts";
import { createDispatcher } from "../modules/print-queue/dispatcher.ts";
import { printFileLinks } from "../modules/print-queue/file-links.ts";
import { createPrinterListCache } from "../modules/printers/printer-list-cache.ts";
import { createWebhooks, type WebhookOptions } from "../modules/webhooks/index.ts";
import { createEncodedBodies } from "./encoded-bodies.ts";
import { createFileStore, parseFileStoreLocation } from "./file-store/index.ts";
import { resolveUploadSecret } from "./file-store/upload-secret.ts";
import { createMetrics } from "./metrics.ts";
import { createOrgChanges, ORG_CHANGES_CHANNEL } from "./org-changes.ts";
import { createRateLimiterFactory } from "./rate-limiter.ts";

/** The Redis pub/sub channel of the command bus. */
export const COMMAND_BUS_CHANNEL = "apf:command-bus";

/** Longest a request waits on one Redis command before the in-process fallback answers. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * Redis for limits and key versions: fail fast instead of queueing while disconnected, never wait more than
 * REDIS_COMMAND_TIMEOUT_MS on a command (a hung server), reconnect forever; commands issued in the same tick by concurrent requests share one round trip.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  redis.on("error", (error) => {
    if (!down)
      logger.warn(
        { err: error.message },
        "redis unavailable; using in-process limits until it is back",
      );
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger.info("redis is back");
    down = false;
  });
  return redis;
}

/** Services that can be closed: the stateful parts first, then the platform under them. */
export type ClosableServices = Services & { close(): Promise<void> };

/** The parts of Services a request uses that keep state in memory (no timers of their own). */
export type RequestParts = Pick<
  Services,
  "keyCache" | "keyTouches" | "printerListCache" | "jobsListCache" | "encodedBodies" | "metrics"
>;

/**
 * Builds the request path's stateful parts over the platform, each explicitly: the caches, the
 * API keys' last_used_at writes, the compressed copies and the metrics that read them.
 */
export function buildRequestParts(platform: Platform): RequestParts {
  const keyCache = createKeyCache(platform.db, platform.redis);
  const keyTouches = createKeyTouches(platform.db, platform.logger, keyCache);
  const printerListCache = createPrinterListCache(platform.db, platform.orgChanges);
  const jobsListCache = createJobsListCache(platform.db, platform.orgChanges);
  const encodedBodies = createEncodedBodies();
  const metrics = createMetrics(platform, { keyCache, printerListCache, jobsListCache });
  return { keyCache, keyTouches, printerListCache, jobsListCache, encodedBodies, metrics };
}

/** How the event log and the webhooks are built (tests shorten their timers). */
export interface StatefulOptions {
  /** Postgres's URL for the webhooks' graphile-worker queue (null: the in-process queue). */
  databaseUrl: string | null;
  webhooks?: WebhookOptions;
  events?: EventLogOptions;
  jobStats?: JobStatsRegrouperOptions;
}

/**
 * Services over a platform: the request parts, the dispatcher, the webhooks and the event log
 * built on it, and a close that stops them in order before `closePlatform` closes the platform
 * (file store, bus, doorbell, Redis, pool): the event log first (its relay fans out to the
 * webhooks, its streams end), then the webhooks' worker, then the dispatcher's timers (it uses
 * the database and the bus), then the last_used_at writes under way are flushed (they need the
 * pool), then the caches and metrics let go.
 */
export async function assembleServices(
  platform: Platform,
  closePlatform: () => Promise<void>,
  options: StatefulOptions,
): Promise<ClosableServices> {
  const webhooks = await createWebhooks(platform, options.databaseUrl, options.webhooks);
  const parts = buildRequestParts(platform);
  const dispatcher = createDispatcher(platform);
  const events = createEventLog({ ...platform, webhooks }, options.events);
  const jobStats = createJobStatsRegrouper(platform, options.jobStats);
  await webhooks.start();
  return {
    ...platform,
    ...parts,
    dispatcher,
    webhooks,
    events,
    jobStats,
    async close() {
      await jobStats.close();
      await events.close();
      await webhooks.close();
      await dispatcher.close();
      await parts.keyTouches.flush();
      parts.keyCache.close();
      parts.metrics.close();
      await closePlatform();
    },
  };
}

/** Builds every long-lived dependency once, from the parsed environment. */
export async function buildServices(env: Env, logger: Logger): Promise<ClosableServices> {
  const database = await createDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.APF_DATA_DIR,
    connectTimeoutMs: env.APF_DB_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: env.APF_DB_QUERY_TIMEOUT_MS,
  });
  if (database.migrations)
    logger.info({ migrations: database.migrations }, describeMigrations(database.migrations));
  const redis = env.REDIS_URL ? createRedis(env.REDIS_URL, logger) : null;
  const commandBus = redis
    ? createRedisBus(redis, { channel: COMMAND_BUS_CHANNEL, logger })
    : createInProcessBus();
  const orgChanges = createOrgChanges(
    database.db,
    (handlers) => database.listen(ORG_CHANGES_CHANNEL, handlers),
    logger,
  );
  const fileStore = createFileStore(parseFileStoreLocation(env.APF_FILE_STORE, env.APF_DATA_DIR));
  logger.info({ file_store: fileStore.description }, "print files are kept in the file store");
  const uploadSecret = resolveUploadSecret(env, logger);
  const platform: Platform = {
    db: database.db,
    maintenanceDb: database.maintenance,
    dbKind: database.kind,
    pingDb: () => database.ping(),
    dbPool: database.poolStats,
    redis,
    rateLimiters: createRateLimiterFactory(redis),
    commandBus,
    orgChanges,
    logger,
    clock: systemClock,
    config: env,
    githubKeys: createGithubKeySet(env.APF_GITHUB_KEYS, logger),
    fileStore,
    uploadSecret,
    printFileLinks: printFileLinks({ clock: systemClock, uploadSecret }),
  };
  return assembleServices(
    platform,
    async () => {
      await fileStore.close();
      await commandBus.close();
      await orgChanges.close();
      redis?.disconnect();
      await database.close();
    },
    { databaseUrl: env.DATABASE_URL ?? null },
  );
}
