import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A successful write is answered only once this instance has received the change notifications
 * of what it committed (services/org-changes.ts), so a read sent after the answer, to this
 * instance, is never served from a cached list that predates the write. Other instances see the
 * change as soon as Postgres's notification reaches them.
 */
export const readYourWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (READS.has(c.req.method) || c.res.status >= 400) return;
  await c.get("services").orgChanges.sync();
});
