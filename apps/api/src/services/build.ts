import { createDatabase } from "@apf/db";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { type Services, systemClock } from "../context.ts";
import type { Env } from "../env.ts";
import { createInProcessBus, createRedisBus } from "./control/bus.ts";
import { createRateLimiterFactory } from "./rate-limiter.ts";

/** The Redis pub/sub channel of the command bus. */
export const COMMAND_BUS_CHANNEL = "apf:command-bus";

/** Redis for limits: fail fast instead of queueing while disconnected, reconnect forever. */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
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
  });
  const redis = env.REDIS_URL ? createRedis(env.REDIS_URL, logger) : null;
  const commandBus = redis
    ? createRedisBus(redis, { channel: COMMAND_BUS_CHANNEL, logger })
    : createInProcessBus();
  return {
    db: database.db,
    dbKind: database.kind,
    pingDb: () => database.ping(),
    redis,
    rateLimiters: createRateLimiterFactory(redis),
    commandBus,
    logger,
    clock: systemClock,
    config: env,
    async close() {
      await commandBus.close();
      redis?.disconnect();
      await database.close();
    },
  };
}
