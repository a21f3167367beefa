import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";

/** One line per request: method, path (never the query string: it may hold a key), status, time. */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const { logger } = c.get("services");
  const status = c.res.status;
  const level = status >= 500 ? "error" : "info";
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      request_id: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ip: c.get("clientIp"),
    },
    "request",
  );
});
