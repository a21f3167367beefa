import { createDatabase, describeMigrations } from "@apf/db";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { type Services, systemClock } from "../context.ts";
import type { Env } from "../env.ts";
import { createInProcessBus, createRedisBus } from "./control/bus.ts";
import { createEventLog } from "./events/index.ts";
import { createFileStore, parseFileStoreLocation } from "./file-store/index.ts";
import { resolveUploadSecret } from "./file-store/upload-secret.ts";
import { createGithubKeySet } from "./github-keys.ts";
import { createOrgChanges, ORG_CHANGES_CHANNEL } from "./org-changes.ts";
import { createDispatcher } from "./print-queue/dispatcher.ts";
import { printFileLinks } from "./print-queue/file-links.ts";
import { createRateLimiterFactory } from "./rate-limiter.ts";
import { createWebhooks } from "./webhooks/index.ts";

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

/** Builds every long-lived dependency once, from the parsed environment. */
export async function buildServices(
  env: Env,
  logger: Logger,
): Promise<Services & { close(): Promise<void> }> {
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
  const base = {
    db: database.db,
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
  // Stopped first: it uses the database, the bus and the doorbell closed after it.
  const dispatcher = createDispatcher(base);
  const webhooks = await createWebhooks(base, env.DATABASE_URL ?? null);
  const events = createEventLog({ ...base, webhooks });
  await webhooks.start();
  return {
    ...base,
    dispatcher,
    webhooks,
    events,
    async close() {
      await events.close();
      await webhooks.close();
      await dispatcher.close();
      await fileStore.close();
      await commandBus.close();
      await orgChanges.close();
      redis?.disconnect();
      await database.close();
    },
  };
}
