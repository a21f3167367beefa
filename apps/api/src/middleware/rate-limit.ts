import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, BudgetSpend, PublicEnv, Services } from "../context.ts";
import { ApiError } from "../errors.ts";
import { type Limiter, RateLimiterRes, retryAfterS } from "../platform/rate-limiter.ts";
import { setResponseHeader } from "./response-headers.ts";

/** A key's budget when it has none of its own: requests per window. */
export const DEFAULT_KEY_BUDGET = 120;
/** Length of a key's budget window, in seconds. */
export const KEY_WINDOW_S = 60;
/** Failed authentications one client address may make per window before it is refused. */
export const FAILED_AUTH_LIMIT = 30;
export const FAILED_AUTH_WINDOW_S = 60;

/**
 * Spends one point; the result says whether the budget allowed it. Redis trouble never reaches
 * here (the factory's limiters fall back to memory); anything else unexpected is logged and the
 * request is let through, since refusing every request would be worse than a missed count.
 */
async function spend<E extends AppEnv>(
  c: Context<E>,
  limiter: Limiter,
  key: string,
): Promise<{ res: RateLimiterRes; allowed: boolean } | null> {
  try {
    return { res: await limiter.consume(key), allowed: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { res: error, allowed: false };
    c.get("services").logger.warn(
      { err: error, request_id: c.get("requestId") },
      "rate limiter failed; request let through",
    );
    return null;
  }
}

/** The per-client-address limiter of failed authentications (shared by every API instance). */
export function failedAuthLimiter(services: Services): Limiter {
  return services.rateLimiters.get({
    name: "auth-fail",
    points: FAILED_AUTH_LIMIT,
    durationS: FAILED_AUTH_WINDOW_S,
  });
}

/**
 * Counts a failed authentication against the client address. Past the limit it throws
 * RATE_LIMITED (with Retry-After) instead of letting the caller answer with the failure itself,
 * so keys cannot be guessed at speed.
 */
export async function recordFailedAuth<E extends AppEnv>(c: Context<E>): Promise<void> {
  const spent = await spend(c, failedAuthLimiter(c.get("services")), c.get("clientIp"));
  if (!spent || spent.allowed) return;
  const wait = retryAfterS(spent.res);
  throw new ApiError(
    "RATE_LIMITED",
    `Too many failed authentications from this address; try again in ${wait} s.`,
    { "Retry-After": String(wait) },
  );
}

/** Spends one point of a key's budget of `limit` requests per window. Never rejects. */
async function spendKeyBudget<E extends AppEnv>(
  c: Context<E>,
  keyId: string,
  limit: number,
): Promise<BudgetSpend | null> {
  const limiter = c.get("services").rateLimiters.get({
    name: "key",
    points: limit,
    durationS: KEY_WINDOW_S,
  });
  const spent = await spend(c, limiter, keyId);
  return (
    spent && {
      remainingPoints: spent.res.remainingPoints,
      msBeforeNext: spent.res.msBeforeNext,
      allowed: spent.allowed,
    }
  );
}

/**
 * Starts spending a cached key's budget while api-key-auth confirms the key, so both Redis
 * commands share one auto-pipelined round trip. meterKeyBudget uses the result when the
 * confirmed key is the same key with the same budget, else spends again (a key found revoked
 * meanwhile has then spent a point it will never use; a changed budget, one point more).
 */
export function startKeyBudget<E extends AppEnv>(
  c: Context<E>,
  keyId: string,
  limit: number,
): void {
  c.set("keyBudgetSpend", { keyId, limit, result: spendKeyBudget(c, keyId, limit) });
}

/**
 * Spends one point of the authenticated key's budget and sets X-RateLimit-Limit, -Remaining and
 * -Reset on whatever the answer turns out to be (403, 404 and 400 included). It does not refuse:
 * enforceKeyBudget does, after the scope check, because INSUFFICIENT_SCOPE comes first.
 */
export const meterKeyBudget = createMiddleware<PublicEnv>(async (c, next) => {
  const key = c.get("apiKey");
  const limit = key.rateLimitPerMinute;
  const early = c.get("keyBudgetSpend");
  const spent =
    early && early.keyId === key.keyId && early.limit === limit
      ? await early.result
      : await spendKeyBudget(c, key.keyId, limit);
  if (spent) {
    setResponseHeader(c, "X-RateLimit-Limit", String(limit));
    setResponseHeader(c, "X-RateLimit-Remaining", String(spent.remainingPoints));
    // The window is kept by Redis (or the fallback), which run on real time, not services.clock.
    setResponseHeader(
      c,
      "X-RateLimit-Reset",
      String(Math.ceil((Date.now() + spent.msBeforeNext) / 1000)),
    );
    if (!spent.allowed) {
      c.set("keyBudgetRetryAfterS", retryAfterS(spent));
    }
  }
  await next();
});

/** Answers 429 RATE_LIMITED with Retry-After when meterKeyBudget found the budget spent. */
export const enforceKeyBudget = createMiddleware<PublicEnv>(async (c, next) => {
  const wait = c.get("keyBudgetRetryAfterS");
  if (wait !== undefined) {
    throw new ApiError(
      "RATE_LIMITED",
      `This API key's budget of ${c.get("apiKey").rateLimitPerMinute} requests per ${KEY_WINDOW_S} s is spent; try again in ${wait} s.`,
      { "Retry-After": String(wait) },
    );
  }
  await next();
});
