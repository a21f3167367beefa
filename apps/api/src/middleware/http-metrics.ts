import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../context.ts";
import { DomainError } from "../domain-error.ts";

const AUTH_CODES = new Set(["UNAUTHORIZED", "TOKEN_INVALID", "TOKEN_REVOKED", "TOKEN_EXPIRED"]);

/**
 * Counts every answer by route pattern (never the raw path: ids would explode the label set)
 * and status, times it, and counts refused credentials and budgets by their error code.
 */
export const httpMetrics = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const { metrics } = c.get("services");
  const last = matchedRoutes(c).at(-1);
  const route = last && last.method !== "ALL" ? last.path : "unmatched";
  const method = c.req.method;
  metrics.requests.inc({ method, route, status: String(c.res.status) });
  metrics.duration.observe({ method, route }, (performance.now() - started) / 1000);
  const error = c.error;
  if (error instanceof DomainError) {
    if (AUTH_CODES.has(error.code)) metrics.authFailures.inc({ code: error.code });
    else if (error.code === "RATE_LIMITED") metrics.rateLimited.inc({ route });
  }
});
