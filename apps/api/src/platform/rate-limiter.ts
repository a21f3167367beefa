import type { Redis } from "ioredis";
import {
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";

export interface LimiterSpec {
  /** Namespace of this limiter's keys, e.g. "key" or "login-email". */
  name: string;
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationS: number;
  /** Once the budget is spent, refuse for this long (seconds) instead of until window end. */
  blockDurationS?: number;
}

export type Limiter = RateLimiterRedis | RateLimiterMemory;

export interface RateLimiterFactory {
  /** Shared across instances (Redis) when configured, else per process. */
  readonly backend: "redis" | "memory";
  /** The limiter for a spec; the same spec returns the same limiter. */
  get(spec: LimiterSpec): Limiter;
}

export { RateLimiterRes };

/**
 * Builds limiters on Redis with an in-memory insurance limiter (so the API keeps answering while
 * Redis is down and goes back to Redis by itself), or on memory alone without Redis.
 */
export function createRateLimiterFactory(
  redis: Redis | null,
  prefix = "apf:rl",
): RateLimiterFactory {
  const cache = new Map<string, Limiter>();
  return {
    backend: redis ? "redis" : "memory",
    get(spec) {
      const cacheKey = `${spec.name}:${spec.points}:${spec.durationS}:${spec.blockDurationS ?? 0}`;
      let limiter = cache.get(cacheKey);
      if (limiter) return limiter;
      const options: IRateLimiterOptions = {
        keyPrefix: `${prefix}:${spec.name}:${spec.points}:${spec.durationS}`,
        points: spec.points,
        duration: spec.durationS,
        blockDuration: spec.blockDurationS ?? 0,
      };
      limiter = redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: redis,
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
      cache.set(cacheKey, limiter);
      return limiter;
    },
  };
}

/** Whole seconds (at least 1) until a spent budget refills: what Retry-After says. */
export function retryAfterS(res: { msBeforeNext: number }): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
