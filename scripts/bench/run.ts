// npm run bench [-- --quick] [-- --log-level info]
// Starts the real service (a child process, as `npm start` does) on Postgres and Redis with a
// fresh database of its own, seeds it, loads it from this process with autocannon
// (50 connections) and prints, side by side, req/s, p50, p99 and the ratio to /healthz, the
// API's peak RSS and ingest throughput; writes bench/results/latest.json.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDatabase } from "@apf/db";
import pg from "pg";
import { measureIngest, measureVisibility } from "./ingest-load.ts";
import { type LoadResult, measure } from "./load.ts";
import { postgresCpuMs, postgresCpuSpentMs } from "./postgres-cpu.ts";
import { JOBS, PRINTERS_PER_SMALL_ORG, SCALE_ORG_PRINTERS, SMALL_ORGS, seed } from "./seed.ts";
import { cpuMs, scrapeMetrics, startApi } from "./server.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    connections: { type: "string", default: "50" },
    "log-level": { type: "string", default: "warn" },
    out: { type: "string", default: "bench/results/latest.json" },
  },
});
const quick = values.quick;
const connections = Number(values.connections);
const durationS = quick ? 3 : 10;
const warmupS = quick ? 1 : 3;
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

// At most 10,000 requests per key per minute (the contract's ceiling): the load rotates over
// enough keys that no request of the run is refused. Each request still pays the limiter.
const KEYS = 400;

function databaseAt(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const dbName = `apf_bench_${randomBytes(4).toString("hex")}`;
await admin(`create database ${dbName}`);
const benchUrl = databaseAt(databaseUrl, dbName);
const t0 = performance.now();
try {
  const database = await createDatabase({ databaseUrl: benchUrl });
  const seeded = await seed(database.db, KEYS);
  await database.close();
  const seedS = Math.round((performance.now() - t0) / 100) / 10;
  console.log(`seeded ${dbName} in ${seedS} s; starting the API`);
  const tApi = performance.now();

  const metricsToken = randomBytes(16).toString("hex");
  const api = await startApi({
    DATABASE_URL: benchUrl,
    REDIS_URL: redisUrl,
    LOG_LEVEL: values["log-level"]!,
    METRICS_TOKEN: metricsToken,
  });
  console.log(`API ready in ${Math.round((performance.now() - tApi) / 100) / 10} s`);
  const rows: LoadResult[] = [];
  try {
    const run = async (name: string, path: string, keys: string[]) => {
      const pgBefore = postgresCpuMs(dbName);
      const row = await measure(
        name,
        { base: api.base, path, keys, connections, durationS, cpuMs: () => cpuMs(api.pid) },
        warmupS,
      );
      const pgAfter = postgresCpuMs(dbName);
      // Warm-up included: Postgres's share of the row, to see which routes still reach it.
      row.postgres_cpu_ms = postgresCpuSpentMs(pgBefore, pgAfter);
      rows.push(row);
      console.log(
        `  ${name.padEnd(28)} ${String(row.per_second).padStart(7)} req/s  p50 ${row.ms_p50} ms  p99 ${row.ms_p99} ms  ${row.cpu_us_per_request} µs CPU/req${row.non_2xx ? `  NON-2XX ${row.non_2xx}` : ""}${row.errors ? `  ERRORS ${row.errors}` : ""}`,
      );
    };
    const m = seeded.measured.keys;
    await run("/healthz", "/healthz", []);
    await run("/public/v1/me", "/public/v1/me", m);
    await run("/public/v1/printers (50)", "/public/v1/printers", m);
    await run("/public/v1/printers (1,000)", "/public/v1/printers", seeded.scale.keys);
    await run("/public/v1/jobs?limit=50", "/public/v1/jobs?limit=50", m);

    const ingestCpuBefore = cpuMs(api.pid);
    const ingestPgBefore = postgresCpuMs(dbName);
    const ingest = await measureIngest(
      api.base,
      seeded.ingest.agents.map((a) => a.token),
      1000,
      durationS,
    );
    const ingestCpu = cpuMs(api.pid);
    const ingestPg = postgresCpuMs(dbName);
    const ingestPgMs = postgresCpuSpentMs(ingestPgBefore, ingestPg);
    const postgresCpuPerState =
      ingestPgMs === null
        ? null
        : Math.round((ingestPgMs * 1000) / (ingest.machine_states_total || 1));
    const ingestCpuPerState =
      ingestCpuBefore !== null && ingestCpu !== null
        ? Math.round(((ingestCpu - ingestCpuBefore) * 1000) / (ingest.machine_states_total || 1))
        : null;
    console.log(
      `  ingest: ${ingest.machine_states_per_second} machine states/s (${ingest.reports} reports of ${ingest.machines_per_report}, p50 ${ingest.report_ms_p50} ms, ${ingestCpuPerState} µs API CPU and ${postgresCpuPerState} µs Postgres CPU per state)`,
    );
    const visibility = await measureVisibility(
      api.base,
      seeded.measured.agentToken,
      m[0]!,
      seeded.measured.machineIds.length,
      quick ? 10 : 30,
    );
    console.log(
      `  report → visible: p50 ${visibility.ms_p50} ms, max ${visibility.ms_max} ms, ${visibility.visible_on_first_read}/${visibility.samples} on the first read`,
    );

    const metrics = await scrapeMetrics(api.base, metricsToken, [
      "apf_key_cache_lookups_total",
      "apf_printer_list_cache_lookups_total",
      "apf_printer_list_cache_bytes",
      "apf_jobs_list_cache_lookups_total",
      "apf_jobs_list_cache_bytes",
      "apf_org_changes_listening",
      "nodejs_eventloop_lag_p99_seconds",
      "nodejs_heap_size_used_bytes",
    ]);
    const ceiling = rows[0]!.per_second;
    for (const row of rows) row.ratio = Math.round((row.per_second / ceiling) * 1000) / 1000;
    const result = {
      when: new Date().toISOString(),
      mode: quick ? "quick" : "full",
      connections,
      duration_s: durationS,
      log_level: values["log-level"],
      machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
      seeded: {
        // The small organizations, the 1,000-printer one and the ingest one.
        organizations: SMALL_ORGS + 2,
        printers: SMALL_ORGS * PRINTERS_PER_SMALL_ORG + SCALE_ORG_PRINTERS,
        jobs: JOBS,
        keys_per_measured_org: KEYS,
      },
      http: rows,
      ingest: {
        ...ingest,
        api_cpu_us_per_state: ingestCpuPerState,
        postgres_cpu_us_per_state: postgresCpuPerState,
      },
      report_to_visible: visibility,
      api_peak_rss_mb: api.peakRssMb(),
      // The API's own counters at the end of the run (cache hits and sizes, event-loop lag).
      api_metrics: metrics,
    };
    console.log("");
    console.table(
      rows.map((r) => ({
        route: r.name,
        "req/s": r.per_second,
        "p50 ms": r.ms_p50,
        "p99 ms": r.ms_p99,
        "ratio to /healthz": r.ratio,
        "µs CPU/req": r.cpu_us_per_request,
        "Postgres CPU ms": r.postgres_cpu_ms,
        "non-2xx": r.non_2xx,
      })),
    );
    console.log(`API peak RSS: ${result.api_peak_rss_mb} MB`);
    console.log("API metrics at the end:", metrics);
    // Relative to the project's root (the default, bench/results/latest.json), or absolute.
    const out = resolve(fileURLToPath(new URL("../..", import.meta.url)), values.out!);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${values.out}`);
  } finally {
    await api.stop();
  }
} finally {
  await admin(`drop database if exists ${dbName} with (force)`);
}
