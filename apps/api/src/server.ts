import net, { type AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp, createMetricsApp } from "./app.ts";
import { ConfigError, demoEnabled, parseEnv } from "./env.ts";
import { buildServices } from "./platform/build.ts";
import { createLogger } from "./platform/logger.ts";

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`apf: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  const services = await buildServices(env, logger);
  logger.info(
    {
      database: services.dbKind,
      data_dir: services.dbKind === "embedded" ? env.APF_DATA_DIR : undefined,
      rate_limits: services.rateLimiters.backend,
    },
    services.dbKind === "embedded"
      ? "DATABASE_URL is not set: using embedded PGlite"
      : "using PostgreSQL from DATABASE_URL",
  );
  if (!services.redis) {
    logger.warn(
      "REDIS_URL is not set: rate limits are kept in this process only (not shared between instances)",
    );
  }

  const app = createApp(services);
  // Requests whose handler still runs: a client that hung up closes its connection, not the
  // handler, so shutdown waits for these before it closes the database under them.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const fetch: typeof app.fetch = async (request, ...rest) => {
    inFlight++;
    try {
      return await app.fetch(request, ...rest);
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  };
  let server!: ReturnType<typeof serve>;
  const address = await new Promise<AddressInfo>((resolve) => {
    server = serve(
      {
        fetch,
        port: env.PORT,
        hostname: env.HOST,
        // Slow clients (slowloris, a trickled body) lose their connection with a 408 instead of
        // holding it for minutes; Node checks the deadlines every second.
        serverOptions: {
          headersTimeout: env.APF_HEADERS_TIMEOUT_MS,
          requestTimeout: env.APF_REQUEST_TIMEOUT_MS,
          connectionsCheckingInterval: 1000,
        },
      },
      (info) => {
        logger.info(
          { port: info.port, host: env.HOST },
          `apf api listening on http://${env.HOST}:${info.port}`,
        );
        resolve(info);
      },
    );
    // Past the cap, Node closes new connections at accept: memory and sockets stay bounded.
    (server as unknown as { maxConnections: number }).maxConnections = env.APF_MAX_CONNECTIONS;
    server.on("error", (error) => {
      logger.fatal({ err: error }, "cannot listen");
      process.exit(1);
    });
  });

  const metricsServer =
    env.METRICS_PORT === undefined
      ? undefined
      : serve(
          { fetch: createMetricsApp(services).fetch, port: env.METRICS_PORT, hostname: env.HOST },
          (info) => logger.info({ port: info.port }, "metrics on GET /metrics of this port"),
        );
  metricsServer?.on("error", (error) => {
    logger.fatal({ err: error }, "cannot listen for metrics");
    process.exit(1);
  });

  // The demo is its own module (its own chunk of the build), loaded only when it runs.
  const demo = demoEnabled(env, services.dbKind)
    ? await (await import("./demo/index.ts")).startDemo(services, env, address)
    : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new connections, finishing requests in flight");
    // Answers from now on close their connection, so no client reuses one that is going away.
    server.prependListener("request", (_req, res) => {
      if ("setHeader" in res) res.setHeader("connection", "close");
    });
    const force = setTimeout(() => {
      logger.warn("requests still in flight after 10 s; closing anyway");
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Event streams never end by themselves: end them now (clients reconnect elsewhere).
    services.events.endStreams();
    await demo?.stop();
    metricsServer?.close();
    // Stop accepting, but not http.Server.close(): it also drops "idle" connections, including
    // ones just accepted whose request is still on its way. Every connection instead ends after
    // its answer (above), an idle keep-alive one at its keep-alive timeout; the callback runs
    // once none is left.
    await new Promise<void>((resolve) => {
      net.Server.prototype.close.call(server, () => resolve());
      // Keep-alive connections idle since before the signal would linger until their timeout;
      // once any request already on its way has had time to arrive, they are closed.
      setTimeout(() => {
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }, 500).unref();
    });
    if (inFlight > 0) {
      await new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, SHUTDOWN_GRACE_MS).unref();
      });
    }
    clearTimeout(force);
    await services.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  process.stderr.write(
    `apf: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
