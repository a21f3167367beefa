import { DASHBOARD_SITE_PATH, dashboardSite } from "@apf/dashboard";
import { except } from "hono/combine";
import type { Services } from "./context.ts";
import { sendEncodedAsset } from "./encoded-asset.ts";
import { ApiError, onError } from "./errors.ts";
import { limitBody } from "./middleware/body-limit.ts";
import { clientIp } from "./middleware/client-ip.ts";
import { publicCors } from "./middleware/cors.ts";
import { httpMetrics } from "./middleware/http-metrics.ts";
import { readYourWrites } from "./middleware/read-your-writes.ts";
import { requestId } from "./middleware/request-id.ts";
import { requestLog } from "./middleware/request-log.ts";
import { securityHeaders, setResponseHeader } from "./middleware/response-headers.ts";
import { notFoundHandler } from "./not-found.ts";
import { createRouter } from "./openapi/router.ts";
import { AGENT_BASE_PATH, agentRoutes } from "./routes/agent/v1/index.ts";
import { DASHBOARD_BASE_PATH, dashboardRoutes } from "./routes/dashboard/index.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsPortRoutes, tokenMetricsRoutes } from "./routes/metrics.ts";
import { PUBLIC_MAX_BODY_BYTES } from "./routes/public/v1/body.ts";
import { isUploadRequest } from "./routes/public/v1/files/upload-body.ts";
import { PUBLIC_BASE_PATH, publicRoutes } from "./routes/public/v1/index.ts";
import { githubSecretScanningRoute } from "./routes/public/v1/secret-scanning/github.ts";

export const DASHBOARD_MAX_BODY_BYTES = 64 * 1024;

/**
 * The whole HTTP surface. The order of middleware here is the order a request meets them:
 * services → metrics → request id → client address → log → security headers → (on /public/v1:
 * CORS) → router. Each /public/v1 operation then runs api-key-auth → key budget → scope (operation.ts).
 */
export function createApp(services: Services) {
  const app = createRouter();

  app.use("*", async (c, next) => {
    c.set("services", services);
    await next();
  });
  app.use("*", httpMetrics);
  app.use("*", requestId);
  app.use("*", clientIp);
  app.use("*", requestLog);
  app.use("*", securityHeaders);
  app.use("*", readYourWrites);
  app.use(`${PUBLIC_BASE_PATH}/*`, publicCors);
  // Dashboard bodies are small; reading a huge one (even unauthenticated, at login) is refused.
  // The limit is per route: the file uploads take up to APF_MAX_FILE_MB, counted as they stream
  // (services/files/receive-upload.ts), after the credential was checked.
  app.use(
    "/api/*",
    limitBody(
      DASHBOARD_MAX_BODY_BYTES,
      () => new ApiError("PAYLOAD_TOO_LARGE", "Request bodies of /api may be at most 64 KiB."),
      isUploadRequest,
    ),
  );

  // GitHub's secret-scanning reports carry their own, larger limit (on that route).
  app.use(
    `${PUBLIC_BASE_PATH}/*`,
    except(
      `${PUBLIC_BASE_PATH}${githubSecretScanningRoute.path}`,
      limitBody(
        PUBLIC_MAX_BODY_BYTES,
        () =>
          new ApiError("PAYLOAD_TOO_LARGE", "Request bodies of /public/v1 may be at most 64 KiB."),
        isUploadRequest,
      ),
    ),
  );
  // Dashboard and agent answers may carry a secret (a session, key, agent or invitation token)
  // or an organization's private data: no shared or browser cache keeps any of them.
  for (const path of ["/api/*", "/agent/*"]) {
    app.use(path, async (c, next) => {
      setResponseHeader(c, "Cache-Control", "no-store");
      await next();
    });
  }

  app.route("/", healthRoutes());
  // Never public by default: only with METRICS_TOKEN here, or on METRICS_PORT (createMetricsApp).
  if (services.config.METRICS_TOKEN)
    app.route("/", tokenMetricsRoutes(services.config.METRICS_TOKEN));
  app.route(PUBLIC_BASE_PATH, publicRoutes());
  const sendAsset = sendEncodedAsset(services.encodedBodies);
  app.route("/docs", docsRoutes(`${PUBLIC_BASE_PATH}/openapi.json`, "apf public API", sendAsset));
  app.route(DASHBOARD_BASE_PATH, dashboardRoutes());
  app.route(AGENT_BASE_PATH, agentRoutes());
  // The dashboard's script and stylesheet, compressed once per coding for clients that accept it.
  app.route(DASHBOARD_SITE_PATH, dashboardSite({ send: sendAsset }));

  app.notFound(notFoundHandler(() => app.routes));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;

/** What the METRICS_PORT listener serves: GET /metrics of these services, nothing else. */
export function createMetricsApp(services: Services) {
  const app = createRouter();
  app.use("*", async (c, next) => {
    c.set("services", services);
    await next();
  });
  app.route("/", metricsPortRoutes());
  app.notFound(notFoundHandler(() => app.routes));
  app.onError(onError);
  return app;
}
