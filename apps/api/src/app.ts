import { Scalar } from "@scalar/hono-api-reference";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Services } from "./context.ts";
import { ApiError, onError } from "./errors.ts";
import { clientIp } from "./middleware/client-ip.ts";
import { publicCors } from "./middleware/cors.ts";
import { requestId } from "./middleware/request-id.ts";
import { requestLog } from "./middleware/request-log.ts";
import { notFoundHandler } from "./not-found.ts";
import { createRouter } from "./openapi/router.ts";
import { AGENT_BASE_PATH, agentRoutes } from "./routes/agent/v1/index.ts";
import { DASHBOARD_BASE_PATH, dashboardRoutes } from "./routes/dashboard/index.ts";
import { healthRoutes } from "./routes/health.ts";
import { PUBLIC_BASE_PATH, publicRoutes } from "./routes/public/v1/index.ts";

export const DASHBOARD_MAX_BODY_BYTES = 64 * 1024;

/**
 * The whole HTTP surface. The order of middleware here is the order a request meets them:
 * services → request id → client address → log → security headers → (on /public/v1: CORS) →
 * router. Each /public/v1 operation then runs api-key-auth → key budget → scope (operation.ts).
 */
export function createApp(services: Services) {
  const app = createRouter();

  const keyTouches = new Set<string>();
  app.use("*", async (c, next) => {
    c.set("services", services);
    c.set("keyTouches", keyTouches);
    await next();
    // The contract says JSON is UTF-8 and says so in the header.
    if (c.res.headers.get("content-type") === "application/json") {
      c.res.headers.set("content-type", "application/json; charset=utf-8");
    }
  });
  app.use("*", requestId);
  app.use("*", clientIp);
  app.use("*", requestLog);
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false }));
  app.use(`${PUBLIC_BASE_PATH}/*`, publicCors);
  // Dashboard bodies are small; reading a huge one (even unauthenticated, at login) is refused.
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: DASHBOARD_MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", "Request bodies of /api may be at most 64 KiB.");
      },
    }),
  );

  app.route("/", healthRoutes());
  app.route(PUBLIC_BASE_PATH, publicRoutes());
  app.get(
    "/docs",
    Scalar({ url: `${PUBLIC_BASE_PATH}/openapi.json`, pageTitle: "apf public API" }),
  );
  app.route(DASHBOARD_BASE_PATH, dashboardRoutes());
  app.route(AGENT_BASE_PATH, agentRoutes());

  app.notFound(notFoundHandler(() => app.routes));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
