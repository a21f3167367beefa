import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Platform } from "../context.ts";
import type { JobsListCache } from "../modules/jobs/jobs-list-cache.ts";
import type { KeyCache } from "../modules/keys/key-cache.ts";
import type { PrinterListCache } from "../modules/printers/printer-list-cache.ts";

/** Prometheus metrics of one API instance (one registry per Services, i.e. per createApp). */
export interface Metrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  duration: Histogram<"method" | "route">;
  authFailures: Counter<"code">;
  rateLimited: Counter<"route">;
  ingestLag: Histogram;
  /** Unregisters every metric (the registry's collectors stop reading the parts). */
  close(): void;
}

/** What the metrics read besides the platform: the caches of this instance. */
export interface MeasuredParts {
  keyCache: KeyCache;
  printerListCache: PrinterListCache;
  jobsListCache: JobsListCache;
}

/** This instance's Prometheus metrics, reading the platform and the caches when scraped. */
export function createMetrics(
  services: Pick<Platform, "orgChanges" | "dbPool" | "redis">,
  parts: MeasuredParts,
): Metrics {
  const registry = new Registry();
  // Process metrics, including nodejs_eventloop_lag_seconds and its percentiles.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const requests = new Counter({
    name: "apf_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "apf_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: "apf_auth_failures_total",
    help: "Refused credentials, by error code (UNAUTHORIZED, TOKEN_INVALID, TOKEN_REVOKED, TOKEN_EXPIRED).",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "apf_rate_limit_refusals_total",
    help: "Requests answered 429 RATE_LIMITED, by route pattern.",
    labelNames: ["route"] as const,
    registers: [registry],
  });
  const ingestLag = new Histogram({
    name: "apf_ingest_lag_seconds",
    help: "From a machine's observed_at to its state being committed (visible through /public/v1).",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  new Counter({
    name: "apf_key_cache_lookups_total",
    help: "API key lookups: hit (process cache, confirmed by Redis), miss (read from Postgres), bypass (Redis down: Postgres).",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const { stats } = parts.keyCache;
      this.reset();
      this.inc({ result: "hit" }, stats.hits);
      this.inc({ result: "miss" }, stats.misses);
      this.inc({ result: "bypass" }, stats.bypassed);
    },
  });
  new Counter({
    name: "apf_printer_list_cache_lookups_total",
    help: "Printer list reads: hit (served the serialised list) or miss (rebuilt it).",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const { stats } = parts.printerListCache;
      this.reset();
      this.inc({ result: "hit" }, stats.hits);
      this.inc({ result: "miss" }, stats.misses);
    },
  });
  new Gauge({
    name: "apf_printer_list_cache_bytes",
    help: "Approximate bytes held by the serialised printer lists of this instance.",
    registers: [registry],
    collect() {
      this.set(parts.printerListCache.stats.bytes());
    },
  });
  new Counter({
    name: "apf_jobs_list_cache_lookups_total",
    help: "Job list pages: hit (served the serialised page) or miss (read Postgres).",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const { stats } = parts.jobsListCache;
      this.reset();
      this.inc({ result: "hit" }, stats.hits);
      this.inc({ result: "miss" }, stats.misses);
    },
  });
  new Gauge({
    name: "apf_jobs_list_cache_bytes",
    help: "Bytes held by the serialised job-list pages of this instance.",
    registers: [registry],
    collect() {
      this.set(parts.jobsListCache.stats.bytes());
    },
  });
  new Gauge({
    name: "apf_org_changes_listening",
    help: "1 while this instance LISTENs for Postgres's change notifications (lists are cached), 0 while it does not (every list read goes to Postgres).",
    registers: [registry],
    collect() {
      this.set(services.orgChanges.listening ? 1 : 0);
    },
  });
  new Counter({
    name: "apf_org_changes_notifications_total",
    help: "Change notifications received from Postgres (LISTEN apf_org_changes).",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(services.orgChanges.stats.notifications);
    },
  });
  new Gauge({
    name: "apf_db_pool_connections",
    help: "Postgres pool connections by state (total, idle, waiting clients).",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const pool = services.dbPool?.();
      if (!pool) return;
      this.set({ state: "total" }, pool.total);
      this.set({ state: "idle" }, pool.idle);
      this.set({ state: "waiting" }, pool.waiting);
    },
  });
  new Gauge({
    name: "apf_redis_up",
    help: "1 when the Redis connection is ready, 0 when it is not; absent without REDIS_URL.",
    registers: [registry],
    collect() {
      if (services.redis) this.set(services.redis.status === "ready" ? 1 : 0);
    },
  });
  return {
    registry,
    requests,
    duration,
    authFailures,
    rateLimited,
    ingestLag,
    close: () => registry.clear(),
  };
}
