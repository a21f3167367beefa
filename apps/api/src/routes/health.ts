import { Hono } from "hono";
import type { AppEnv, Services } from "../context.ts";
import { json } from "../openapi/respond.ts";

type CheckStatus = "up" | "down";

async function within(ms: number, probe: () => Promise<unknown>): Promise<CheckStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckStatus>((resolve) => {
    timer = setTimeout(() => resolve("down"), ms);
  });
  try {
    return await Promise.race([probe().then(() => "up" as const), timeout]);
  } catch {
    return "down";
  } finally {
    clearTimeout(timer);
  }
}

/** What /readyz reports: each dependency, up or down. */
export async function readiness(services: Services) {
  const [database, redis] = await Promise.all([
    within(2000, () => services.pingDb()),
    services.redis ? within(2000, () => services.redis!.ping()) : Promise.resolve(null),
  ]);
  const ready = database === "up" && redis !== "down";
  return {
    ready,
    body: {
      status: ready ? "ready" : "unavailable",
      checks: {
        database: { status: database, kind: services.dbKind },
        redis: redis
          ? { status: redis }
          : { status: "not_configured", note: "REDIS_URL is not set: rate limits are per process" },
      },
    },
  };
}

/** Liveness and readiness for load balancers and orchestrators; no authentication. */
export function healthRoutes() {
  const router = new Hono<AppEnv>();
  router.get("/healthz", (c) => json(c, { status: "ok" }));
  router.get("/readyz", async (c) => {
    const { ready, body } = await readiness(c.get("services"));
    c.header("Cache-Control", "no-store");
    return json(c, body, ready ? 200 : 503);
  });
  return router;
}
