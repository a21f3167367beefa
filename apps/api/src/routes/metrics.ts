import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { parseBearer } from "../middleware/bearer-credential.ts";

/** GET /metrics: this instance's metrics in the Prometheus text format. */
async function serveMetrics(c: import("hono").Context<AppEnv>) {
  const { registry } = c.get("services").metrics;
  c.header("Cache-Control", "no-store");
  return c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * /metrics on the API's own port, only when METRICS_TOKEN is set, and only to
 * `Authorization: Bearer <METRICS_TOKEN>`. Without it the route does not exist (404): metrics
 * are never public by default.
 */
export function tokenMetricsRoutes(token: string) {
  const router = new Hono<AppEnv>();
  router.get("/metrics", async (c) => {
    const given = parseBearer(c.req.header("authorization") ?? "");
    if (!given || !sameSecret(given, token)) {
      throw new ApiError(
        "UNAUTHORIZED",
        "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.",
      );
    }
    return serveMetrics(c);
  });
  return router;
}

/** The app of the METRICS_PORT listener: /metrics and nothing else, no credential. */
export function metricsPortRoutes() {
  const router = new Hono<AppEnv>();
  router.get("/metrics", serveMetrics);
  return router;
}
